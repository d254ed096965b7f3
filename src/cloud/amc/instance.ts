import { copyFile, mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { setting } from "../../config.ts";
import { defaultRules } from "../../match/index.ts";
import { graphSchema, synth } from "../../synth/index.ts";
import type { CleanRooms, CollaborationRecord } from "../clean-rooms/index.ts";
import { CR_TABLES } from "../clean-rooms/index.ts";
import type { CloudDeps } from "../deps.ts";
import { type EntityResolution, ER_TABLES } from "../entity-resolution/index.ts";
import type { ApiObject } from "../kit/shapes.ts";
import { LOCAL_AMC } from "../local-amc.ts";
import type { RequestContext } from "../service.ts";

export const AMC_TABLES = {
  instances: "amc.instances",
  /** key: instanceId/tableId */
  tables: "amc.idMappingTables",
  trackers: "amc.trackers",
} as const;

export interface AmcInstanceRecord {
  instanceId: string;
  collaborationId: string;
  amcMembershipId: string;
  customerMembershipId: string;
  targetNamespaceArn: string;
  targetAssociationId: string;
  graphTableArn: string;
  /** The Amazon identity graph file, once generated or loaded. */
  graph?: { file: string; people?: number; seed?: number; loadedAt: number };
}

export interface AmcGraphOptions {
  /** People in the synthetic Amazon identity graph. @default env IDBRIDGE_AMC_GRAPH_PEOPLE or 20000 */
  people?: number;
  /** @default env IDBRIDGE_AMC_GRAPH_SEED or 42 */
  seed?: number;
}

export function graphOptions(options: AmcGraphOptions): Required<AmcGraphOptions> {
  return {
    people: options.people ?? setting("amcGraphPeople"),
    seed: options.seed ?? setting("amcGraphSeed"),
  };
}

export const amcContext = (deps: CloudDeps): RequestContext => ({
  accountId: LOCAL_AMC.awsAccountId,
  region: deps.region,
  requestId: "amc-internal",
});
export const customerContext = (deps: CloudDeps): RequestContext => ({
  accountId: deps.accountId,
  region: deps.region,
  requestId: "amc-internal",
});

/**
 * Creates, once and idempotently (each step checks before it acts, so a crash half-way is
 * finished by the next start), the AMC side of the route: the "Amazon Marketing Cloud"
 * collaboration created by Amazon's account with the advertiser as member, both memberships, the
 * Amazon identity graph's schema mapping and TARGET ID namespace (whose rules AMC applies), and
 * its association in Amazon's membership. The graph's data itself is generated on first use.
 */
export async function ensureInstance(
  deps: CloudDeps,
  er: EntityResolution,
  cr: CleanRooms,
  instanceId: string,
): Promise<AmcInstanceRecord> {
  const existing = deps.store.get<AmcInstanceRecord>(AMC_TABLES.instances, instanceId);
  if (existing && deps.store.get(CR_TABLES.collaborations, existing.collaborationId)) return existing;

  const amc = amcContext(deps);
  const customer = customerContext(deps);
  const crOps = cr.service.operations;
  const erOps = er.service.operations;

  let collaboration = deps.store
    .list<CollaborationRecord>(CR_TABLES.collaborations)
    .map(([, record]) => record)
    .find((c) => c.creatorAccountId === LOCAL_AMC.awsAccountId && c.name === LOCAL_AMC.collaborationName);
  if (!collaboration) {
    const created = await crOps["CreateCollaboration"]!(
      {
        name: LOCAL_AMC.collaborationName,
        description: `AMC instance ${instanceId} backed by AWS Clean Rooms`,
        creatorDisplayName: "Amazon Ads",
        creatorMemberAbilities: ["CAN_QUERY", "CAN_RUN_JOB"],
        members: [
          { accountId: deps.accountId, displayName: "Advertiser", memberAbilities: ["CAN_RECEIVE_RESULTS"] },
        ],
        queryLogStatus: "DISABLED",
        analyticsEngine: "SPARK",
      },
      amc,
    );
    collaboration = deps.store.get<CollaborationRecord>(
      CR_TABLES.collaborations,
      created["collaboration"].id,
    )!;
  }
  const membershipOf = (accountId: string) =>
    deps.store
      .get<CollaborationRecord>(CR_TABLES.collaborations, collaboration.id)!
      .members.find((m) => m.accountId === accountId)?.membershipId;
  for (const ctx of [amc, customer]) {
    if (!membershipOf(ctx.accountId)) {
      await crOps["CreateMembership"]!(
        { collaborationIdentifier: collaboration.id, queryLogStatus: "DISABLED" },
        ctx,
      );
    }
  }
  const amcMembershipId = membershipOf(amc.accountId)!;
  const customerMembershipId = membershipOf(customer.accountId)!;

  const { graph } = LOCAL_AMC;
  const graphTableArn = `arn:aws:glue:${deps.region}:${amc.accountId}:table/${graph.glueDatabase}/${graph.glueTable}`;
  const schema = graphSchema();
  // The graph lives in Amazon's account, outside this cloud's S3 and Glue: ER reads it as an external table.
  if (!deps.store.get(ER_TABLES.externalTables, graphTableArn)) {
    await er.internals.putExternalTable({
      tableArn: graphTableArn,
      files: [],
      columns: schema.mappedInputFields.map((field) => field.fieldName),
    });
  }
  const getOrCreate = async (get: () => Promise<unknown>, create: () => Promise<unknown>) => {
    try {
      await get();
    } catch {
      await create();
    }
  };
  await getOrCreate(
    () => erOps["GetSchemaMapping"]!({ schemaName: graph.schemaName }, amc),
    () =>
      erOps["CreateSchemaMapping"]!(
        {
          schemaName: graph.schemaName,
          description: "Amazon identity graph (synthetic): SHA-256 of Amazon Ads normalized values",
          mappedInputFields: schema.mappedInputFields,
        },
        amc,
      ),
  );
  let namespaceArn = "";
  await getOrCreate(
    async () => {
      namespaceArn = (await erOps["GetIdNamespace"]!({ idNamespaceName: graph.namespaceName }, amc))[
        "idNamespaceArn"
      ];
    },
    async () => {
      const created = await erOps["CreateIdNamespace"]!(
        {
          idNamespaceName: graph.namespaceName,
          description: "Amazon Ads identity graph (TARGET)",
          type: "TARGET",
          inputSourceConfig: [{ inputSourceARN: graphTableArn, schemaName: graph.schemaName }],
          idMappingWorkflowProperties: [
            {
              idMappingType: "RULE_BASED",
              ruleBasedProperties: {
                rules: defaultRules.rules,
                ruleDefinitionTypes: ["TARGET"],
                attributeMatchingModel: defaultRules.attributeMatchingModel,
                recordMatchingModels: [defaultRules.recordMatchingModel],
              },
            },
          ],
          roleArn: `arn:aws:iam::${amc.accountId}:role/amc-identity-graph-reader`,
        },
        amc,
      );
      namespaceArn = created["idNamespaceArn"];
    },
  );
  const associations = await crOps["ListIdNamespaceAssociations"]!(
    { membershipIdentifier: amcMembershipId },
    amc,
  );
  let targetAssociationId = (associations["idNamespaceAssociationSummaries"] as Array<ApiObject>).find(
    (a) => a["inputReferenceConfig"].inputReferenceArn === namespaceArn,
  )?.["id"] as string | undefined;
  if (!targetAssociationId) {
    const created = await crOps["CreateIdNamespaceAssociation"]!(
      {
        membershipIdentifier: amcMembershipId,
        name: "Amazon identity graph",
        inputReferenceConfig: { inputReferenceArn: namespaceArn, manageResourcePolicies: true },
      },
      amc,
    );
    targetAssociationId = created["idNamespaceAssociation"].id as string;
  }
  const previous = deps.store.get<AmcInstanceRecord>(AMC_TABLES.instances, instanceId);
  const record: AmcInstanceRecord = {
    instanceId,
    collaborationId: collaboration.id,
    amcMembershipId,
    customerMembershipId,
    targetNamespaceArn: namespaceArn,
    targetAssociationId,
    graphTableArn,
    ...(previous?.graph ? { graph: previous.graph } : {}),
  };
  await deps.store.transact((tx) => tx.put(AMC_TABLES.instances, instanceId, record));
  return record;
}

async function fileExists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Points the TARGET namespace's table at a graph file (copied into the store, so it outlives its source). */
export async function useGraphFile(
  deps: CloudDeps,
  er: EntityResolution,
  instance: AmcInstanceRecord,
  source: string,
  meta: { people?: number; seed?: number },
): Promise<AmcInstanceRecord> {
  const dir = deps.store.blobDir("amc", "graph", instance.instanceId);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, "graph.parquet");
  if (path.resolve(source) !== path.resolve(file)) {
    const temp = `${file}.${process.pid}.tmp`;
    await copyFile(source, temp);
    await rename(temp, file);
  }
  await er.internals.putExternalTable({
    tableArn: instance.graphTableArn,
    files: [file],
    columns: graphSchema().mappedInputFields.map((field) => field.fieldName),
  });
  const next: AmcInstanceRecord = { ...instance, graph: { file, ...meta, loadedAt: Date.now() } };
  await deps.store.transact((tx) => tx.put(AMC_TABLES.instances, instance.instanceId, next));
  return next;
}

/** Generates the synthetic Amazon identity graph on first use (a job needs it), unless one was loaded. */
export async function ensureGraph(
  deps: CloudDeps,
  er: EntityResolution,
  instance: AmcInstanceRecord,
  options: Required<AmcGraphOptions>,
): Promise<AmcInstanceRecord> {
  if (instance.graph && (await fileExists(instance.graph.file))) return instance;
  const work = path.join(deps.store.blobDir("amc", "graph", instance.instanceId), "synth");
  await rm(work, { recursive: true, force: true });
  try {
    const result = await synth({ outDir: work, people: options.people, crm: 1, seed: options.seed });
    return await useGraphFile(deps, er, instance, result.targetFile, options);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
