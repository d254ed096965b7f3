import { randomUUID } from "node:crypto";
import type { CleanRooms, IdMappingTableRecord, IdNamespaceAssociationRecord } from "../clean-rooms/index.ts";
import { CR_TABLES, erJobIdOf } from "../clean-rooms/index.ts";
import type { CloudDeps } from "../deps.ts";
import type { EntityResolution } from "../entity-resolution/index.ts";
import { getSchemaMapping, parseErArn } from "../entity-resolution/index.ts";
import type { ApiObject } from "../kit/shapes.ts";
import { LOCAL_AMC } from "../local-amc.ts";
import type { Operation } from "../service.ts";
import { amcBadRequest, amcConflict, amcNotFound, asAmc } from "./errors.ts";
import {
  AMC_TABLES,
  type AmcGraphOptions,
  type AmcInstanceRecord,
  amcContext,
  ensureGraph,
  ensureInstance,
} from "./instance.ts";
import { AMC_REGION, MAX_SCHEMA_COLUMNS, MAX_TABLES_PER_INSTANCE, REFRESH_INTERVAL_MS } from "./limits.ts";

/** What AMC keeps about a mapping table it created (the AWS resources behind it live in ER and Clean Rooms). */
export interface AmcTableRecord {
  instanceId: string;
  idMappingTableId: string;
  membershipId: string;
  workflowArn: string;
  sourceIdNamespaceArn: string;
  jobIds: string[];
  lastPopulateTime: number;
}

export interface AmcTrackerRecord {
  trackingId: string;
  instanceId: string;
  idMappingTableId: string;
  idMappingWorkflowJobId: string;
  operation: "CREATE" | "REFRESH";
  createTime: number;
}

const TABLE_NAME = /^[a-zA-Z0-9_](([a-zA-Z0-9_ ]+-)*([a-zA-Z0-9_ ]+))?$/;

export interface AmcContext {
  deps: CloudDeps;
  er: EntityResolution;
  cr: CleanRooms;
  graph: Required<AmcGraphOptions>;
  now: () => number;
}

const iso = (millis: number | undefined) =>
  millis === undefined ? undefined : new Date(millis).toISOString();

export function amcOperations(context: AmcContext): Record<string, Operation> {
  const { deps, er, cr } = context;
  const amc = amcContext(deps);
  const crOps = cr.service.operations;

  const instanceFor = async (input: Record<string, unknown>): Promise<AmcInstanceRecord> => {
    if (deps.region !== AMC_REGION) {
      throw amcBadRequest(
        `AMC collaboration instances are available only in ${AMC_REGION}; this cloud runs in ${deps.region}`,
      );
    }
    const instanceId = String(input["instanceId"] ?? "");
    if (instanceId !== LOCAL_AMC.instanceId) throw amcNotFound(`Instance ${instanceId} not found`);
    return ensureInstance(deps, er, cr, instanceId);
  };
  const tableRecord = (instance: AmcInstanceRecord, tableId: string) => {
    const record = deps.store.get<AmcTableRecord>(AMC_TABLES.tables, `${instance.instanceId}/${tableId}`);
    if (!record)
      throw amcNotFound(`ID mapping table ${tableId} not found in instance ${instance.instanceId}`);
    return record;
  };
  const describeTable = (table: AmcTableRecord) => {
    const crTable = deps.store.get<IdMappingTableRecord>(
      CR_TABLES.idMappingTables,
      `${table.membershipId}/${table.idMappingTableId}`,
    );
    const succeeded = table.jobIds.some(
      (jobId) => er.internals.getIdMappingJob(table.workflowArn, jobId)?.status === "SUCCEEDED",
    );
    return {
      id: table.idMappingTableId,
      arn: crTable?.arn,
      name: crTable?.name,
      description: crTable?.description ?? "",
      queryable: succeeded,
      workflowArn: table.workflowArn,
      sourceIdNamespaceArn: table.sourceIdNamespaceArn,
      createTime: iso(crTable?.createTime),
      updateTime: iso(crTable?.updateTime),
    };
  };
  const describeJob = (table: AmcTableRecord, jobId: string) => {
    const job = er.internals.getIdMappingJob(table.workflowArn, jobId);
    if (!job || !table.jobIds.includes(jobId))
      throw amcNotFound(`Job ${jobId} not found for ID mapping table ${table.idMappingTableId}`);
    return {
      jobId: job.jobId,
      idMappingTableId: table.idMappingTableId,
      status: job.status,
      startTime: iso(job.startTime),
      endTime: iso(job.endTime),
      ...(job.metrics ? { metrics: job.metrics } : {}),
      ...(job.errorDetails ? { errorDetails: job.errorDetails } : {}),
    };
  };
  const populate = async (
    instance: AmcInstanceRecord,
    table: AmcTableRecord,
    operation: "CREATE" | "REFRESH",
  ) => {
    await ensureGraph(deps, er, instance, context.graph);
    const output = await asAmc(() =>
      crOps["PopulateIdMappingTable"]!(
        { membershipIdentifier: table.membershipId, idMappingTableIdentifier: table.idMappingTableId },
        amc,
      ),
    );
    const jobId = erJobIdOf(output["idMappingJobId"] as string);
    const tracker: AmcTrackerRecord = {
      trackingId: randomUUID(),
      instanceId: instance.instanceId,
      idMappingTableId: table.idMappingTableId,
      idMappingWorkflowJobId: jobId,
      operation,
      createTime: context.now(),
    };
    const next: AmcTableRecord = {
      ...table,
      jobIds: [...table.jobIds, jobId],
      lastPopulateTime: context.now(),
    };
    await deps.store.transact((tx) => {
      tx.put(AMC_TABLES.tables, `${instance.instanceId}/${table.idMappingTableId}`, next);
      tx.put(AMC_TABLES.trackers, tracker.trackingId, tracker);
    });
    return { jobId, trackingId: tracker.trackingId, table: next };
  };

  return {
    async getCollaboration(input) {
      const instance = await instanceFor(input);
      const output = await asAmc(() =>
        crOps["GetCollaboration"]!({ collaborationIdentifier: instance.collaborationId }, amc),
      );
      const collaboration = output["collaboration"] as ApiObject;
      const record = deps.store.get<{ members: Array<ApiObject> }>(
        CR_TABLES.collaborations,
        instance.collaborationId,
      )!;
      const member = (accountId: string, description: string) => {
        const m = record.members.find((x) => x["accountId"] === accountId)!;
        return {
          description,
          accountId,
          membershipId: m["membershipId"],
          displayName: m["displayName"],
          status: m["status"],
        };
      };
      const customerActive =
        record.members.find((m) => m["accountId"] === deps.accountId)?.["status"] === "ACTIVE";
      return {
        id: collaboration["id"],
        name: collaboration["name"],
        description: collaboration["description"],
        customerAcceptanceLink: `https://console.aws.amazon.com/cleanrooms/home?region=${deps.region}#/collaborations/${collaboration["id"]}`,
        status: customerActive ? "ACTIVE" : "PENDING_ACCEPTANCE",
        creator: member(LOCAL_AMC.awsAccountId, "Amazon Marketing Cloud (collaboration creator)"),
        customer: member(deps.accountId, "Advertiser (customer)"),
      };
    },

    async listCollaborationIdNamespaces(input) {
      const instance = await instanceFor(input);
      const connected = new Set(
        deps.store
          .list<AmcTableRecord>(AMC_TABLES.tables, `${instance.instanceId}/`)
          .map(([, table]) => table.sourceIdNamespaceArn),
      );
      const idNamespaces = deps.store
        .list<IdNamespaceAssociationRecord>(
          CR_TABLES.idNamespaceAssociations,
          `${instance.customerMembershipId}/`,
        )
        .map(([, association]) => association)
        .filter((a) => a.inputReferenceProperties.idNamespaceType === "SOURCE")
        .filter((a) => !connected.has(a.inputReferenceConfig.inputReferenceArn))
        .map((a) => ({
          idNamespaceArn: a.inputReferenceConfig.inputReferenceArn,
          idNamespaceAssociationId: a.id,
          idNamespaceAssociationArn: a.arn,
          name: a.name,
          description: a.description ?? "",
          type: a.inputReferenceProperties.idNamespaceType,
          createTime: iso(a.createTime),
        }));
      return { idNamespaces };
    },

    async createCollaborationIdMappingTable(input) {
      const instance = await instanceFor(input);
      const name = input["idMappingTableName"];
      const sourceArn = input["sourceIdNamespaceArn"];
      if (typeof name !== "string" || !TABLE_NAME.test(name) || name.length > 128) {
        throw amcBadRequest(
          "idMappingTableName is required: up to 128 letters, digits, '_', spaces and single '-' between words",
        );
      }
      if (typeof sourceArn !== "string" || !parseErArn(sourceArn, "idnamespace")) {
        throw amcBadRequest("sourceIdNamespaceArn must be an Entity Resolution ID namespace ARN");
      }
      if (parseErArn(sourceArn, "idnamespace")!.region !== AMC_REGION) {
        throw amcBadRequest(
          `sourceIdNamespaceArn must be in ${AMC_REGION}, the only region AMC collaboration instances support`,
        );
      }
      const namespace = er.internals.getIdNamespaceByArn(sourceArn);
      if (!namespace) throw amcBadRequest(`The ID namespace ${sourceArn} does not exist`);
      if (namespace.type !== "SOURCE")
        throw amcBadRequest(
          `The ID namespace ${sourceArn} is of type ${namespace.type}; AMC maps SOURCE namespaces`,
        );
      // The AMC guide: a schema mapping may hold at most 25 columns (1 unique id + 24 identity columns).
      const namespaceAccount = parseErArn(sourceArn, "idnamespace")!.accountId;
      for (const source of namespace.inputSourceConfig ?? []) {
        const schema = source.schemaName
          ? getSchemaMapping(deps, namespaceAccount, source.schemaName)
          : undefined;
        if (schema && schema.mappedInputFields.length > MAX_SCHEMA_COLUMNS) {
          throw amcBadRequest(
            `Schema mapping ${schema.schemaName} of ID namespace ${namespace.idNamespaceName} has ${schema.mappedInputFields.length} fields; AMC supports at most ${MAX_SCHEMA_COLUMNS} (1 unique id + 24 identity columns): split wider data into several Glue tables`,
          );
        }
      }
      const association = deps.store
        .list<IdNamespaceAssociationRecord>(
          CR_TABLES.idNamespaceAssociations,
          `${instance.customerMembershipId}/`,
        )
        .map(([, a]) => a)
        .find((a) => a.inputReferenceConfig.inputReferenceArn === sourceArn);
      if (!association) {
        throw amcBadRequest(
          `The ID namespace ${sourceArn} is not associated with the collaboration: create an ID namespace association in membership ${instance.customerMembershipId} first`,
        );
      }
      const tables = deps.store
        .list<AmcTableRecord>(AMC_TABLES.tables, `${instance.instanceId}/`)
        .map(([, t]) => t);
      const existing = tables.find((t) => t.sourceIdNamespaceArn === sourceArn);
      if (existing)
        throw amcConflict(
          `The ID namespace ${sourceArn} already backs ID mapping table ${existing.idMappingTableId}`,
        );
      if (tables.length >= MAX_TABLES_PER_INSTANCE) {
        throw amcBadRequest(
          `Instance ${instance.instanceId} already has ${tables.length} ID mapping tables, the maximum`,
          {
            limit: MAX_TABLES_PER_INSTANCE,
          },
        );
      }
      // AMC creates the ER workflow (SOURCE namespace -> Amazon TARGET namespace, Amazon's rules) in its own account.
      const workflowName = `amc-${randomUUID()}`;
      const workflow = await asAmc(() =>
        er.service.operations["CreateIdMappingWorkflow"]!(
          {
            workflowName,
            description: `AMC ID mapping table ${name}`,
            inputSourceConfig: [
              { inputSourceARN: sourceArn, type: "SOURCE" },
              { inputSourceARN: instance.targetNamespaceArn, type: "TARGET" },
            ],
            idMappingTechniques: {
              idMappingType: "RULE_BASED",
              ruleBasedProperties: {
                ruleDefinitionType: "TARGET",
                attributeMatchingModel: "MANY_TO_MANY",
                recordMatchingModel: "MANY_SOURCE_TO_ONE_TARGET",
              },
            },
          },
          amc,
        ),
      );
      const workflowArn = workflow["workflowArn"] as string;
      let created: ApiObject;
      try {
        created = await asAmc(() =>
          crOps["CreateIdMappingTable"]!(
            {
              membershipIdentifier: instance.amcMembershipId,
              name,
              ...(typeof input["description"] === "string" ? { description: input["description"] } : {}),
              inputReferenceConfig: { inputReferenceArn: workflowArn, manageResourcePolicies: true },
            },
            amc,
          ),
        );
      } catch (error) {
        await er.service.operations["DeleteIdMappingWorkflow"]!({ workflowName }, amc);
        throw error;
      }
      const tableId = created["idMappingTable"].id as string;
      const table: AmcTableRecord = {
        instanceId: instance.instanceId,
        idMappingTableId: tableId,
        membershipId: instance.amcMembershipId,
        workflowArn,
        sourceIdNamespaceArn: sourceArn,
        jobIds: [],
        lastPopulateTime: context.now(),
      };
      await deps.store.transact((tx) =>
        tx.put(AMC_TABLES.tables, `${instance.instanceId}/${tableId}`, table),
      );
      const { jobId, trackingId, table: populated } = await populate(instance, table, "CREATE");
      return {
        collaborationId: instance.collaborationId,
        idMappingTable: describeTable(populated),
        idMappingWorkflowJobId: jobId,
        trackingId,
      };
    },

    async listCollaborationIdMappingTables(input) {
      const instance = await instanceFor(input);
      const idMappingTables = deps.store
        .list<AmcTableRecord>(AMC_TABLES.tables, `${instance.instanceId}/`)
        .map(([, table]) => describeTable(table));
      return { idMappingTables };
    },

    async getCollaborationIdMappingTable(input) {
      const instance = await instanceFor(input);
      const table = tableRecord(instance, String(input["idMappingTableId"] ?? ""));
      return { idMappingTable: { ...describeTable(table), jobIds: table.jobIds } };
    },

    async refreshCollaborationIdMappingTable(input) {
      const instance = await instanceFor(input);
      const table = tableRecord(instance, String(input["idMappingTableId"] ?? ""));
      const nextAllowed = table.lastPopulateTime + REFRESH_INTERVAL_MS;
      if (context.now() < nextAllowed) {
        throw amcBadRequest(
          `ID mapping table ${table.idMappingTableId} was populated at ${iso(table.lastPopulateTime)}; a table can be refreshed at most once in 14 days (next: ${iso(nextAllowed)})`,
          { nextRefreshTime: iso(nextAllowed) },
        );
      }
      const { jobId, trackingId } = await populate(instance, table, "REFRESH");
      return { idMappingTableId: table.idMappingTableId, idMappingWorkflowJobId: jobId, trackingId };
    },

    async deleteCollaborationIdMappingTable(input) {
      const instance = await instanceFor(input);
      const table = tableRecord(instance, String(input["idMappingTableId"] ?? ""));
      const running = table.jobIds
        .map((jobId) => er.internals.getIdMappingJob(table.workflowArn, jobId))
        .find((job) => job && (job.status === "QUEUED" || job.status === "RUNNING"));
      if (running)
        throw amcConflict(
          `ID mapping table ${table.idMappingTableId} has job ${running.jobId} ${running.status}; delete it when the job ends`,
        );
      await asAmc(() =>
        crOps["DeleteIdMappingTable"]!(
          { membershipIdentifier: table.membershipId, idMappingTableIdentifier: table.idMappingTableId },
          amc,
        ),
      );
      const workflowName = parseErArn(table.workflowArn, "idmappingworkflow")!.name;
      await asAmc(() => er.service.operations["DeleteIdMappingWorkflow"]!({ workflowName }, amc));
      await deps.store.transact((tx) =>
        tx.delete(AMC_TABLES.tables, `${instance.instanceId}/${table.idMappingTableId}`),
      );
      return {};
    },

    async getCollaborationIdMappingJob(input) {
      const instance = await instanceFor(input);
      const table = tableRecord(instance, String(input["idMappingTableId"] ?? ""));
      return describeJob(table, String(input["jobId"] ?? ""));
    },

    async listCollaborationIdMappingJobs(input) {
      const instance = await instanceFor(input);
      const table = tableRecord(instance, String(input["idMappingTableId"] ?? ""));
      return { jobs: [...table.jobIds].reverse().map((jobId) => describeJob(table, jobId)) };
    },

    async getCollaborationJobTracker(input) {
      const instance = await instanceFor(input);
      const trackingId = String(input["trackingId"] ?? "");
      const tracker = deps.store.get<AmcTrackerRecord>(AMC_TABLES.trackers, trackingId);
      if (!tracker || tracker.instanceId !== instance.instanceId)
        throw amcNotFound(`Tracking id ${trackingId} not found`);
      const table = deps.store.get<AmcTableRecord>(
        AMC_TABLES.tables,
        `${instance.instanceId}/${tracker.idMappingTableId}`,
      );
      const job = table
        ? er.internals.getIdMappingJob(table.workflowArn, tracker.idMappingWorkflowJobId)
        : undefined;
      return {
        trackingId,
        operation: tracker.operation,
        idMappingTableId: tracker.idMappingTableId,
        idMappingWorkflowJobId: tracker.idMappingWorkflowJobId,
        status: job?.status ?? (table ? "UNKNOWN" : "TABLE_DELETED"),
        createTime: iso(tracker.createTime),
        ...(job?.endTime ? { endTime: iso(job.endTime) } : {}),
      };
    },
  };
}
