import type { CloudDeps } from "../deps.ts";
import { oncePerStore } from "../kit/once-per-store.ts";
import type { ResourceProvider } from "../provider.ts";
import type { AwsService, RequestContext } from "../service.ts";
import { parseErArn } from "./arns.ts";
import { getWorkflowByArn, idMappingWorkflowOperations } from "./id-mapping-workflows.ts";
import { getIdNamespaceByArn, idNamespaceOperations } from "./id-namespaces.ts";
import { IdMappingJobRunner, idMappingJobOperations } from "./jobs.ts";
import { idMappingWorkflowProvider } from "./providers/id-mapping-workflow.ts";
import { idNamespaceProvider } from "./providers/id-namespace.ts";
import { schemaMappingProvider } from "./providers/schema-mapping.ts";
import {
  ER_TABLES,
  type ExternalTableRecord,
  type IdMappingJobRecord,
  type IdMappingWorkflowRecord,
  type IdNamespaceRecord,
  jobKey,
} from "./records.ts";
import { schemaMappingOperations } from "./schema-mappings.ts";
import { taggingOperations } from "./tagging.ts";

export { erArn, parseErArn } from "./arns.ts";
export type {
  IdMappingJobRecord,
  IdMappingWorkflowRecord,
  IdNamespaceRecord,
  SchemaMappingRecord,
} from "./records.ts";
export { ER_TABLES } from "./records.ts";
export { getSchemaMapping } from "./schema-mappings.ts";

/** What Clean Rooms and the AMC API use of Entity Resolution, in-process (no wire, no second copy of state). */
export interface EntityResolutionInternals {
  getIdNamespaceByArn(arn: string): IdNamespaceRecord | undefined;
  getIdMappingWorkflowByArn(arn: string): IdMappingWorkflowRecord | undefined;
  /** Starts a job of the workflow the ARN names, as its owning account (ConflictException while one runs). */
  startIdMappingJob(workflowArn: string): Promise<string>;
  getIdMappingJob(workflowArn: string, jobId: string): IdMappingJobRecord | undefined;
  /** Registers a Glue table that lives outside this cloud's Glue (another account's data), by table ARN. */
  putExternalTable(table: ExternalTableRecord): Promise<void>;
  /** Resolves once no ID mapping job is queued or running. */
  idle(): Promise<void>;
}

export interface EntityResolution {
  service: AwsService;
  providers: ResourceProvider[];
  internals: EntityResolutionInternals;
  /** Resumes jobs left QUEUED or RUNNING by a previous process (a job interrupted twice is FAILED with the reason). */
  start(): Promise<void>;
  /** Waits for the running job; queued jobs stay QUEUED for the next start. */
  stop(): Promise<void>;
}

/** The Entity Resolution service (signing name "entityresolution") of the local cloud whose store deps carry. */
export const createEntityResolution: (deps: CloudDeps) => Promise<EntityResolution> = oncePerStore(build);

function build(deps: CloudDeps): EntityResolution {
  const runner = new IdMappingJobRunner(deps);
  const service: AwsService = {
    signingName: "entityresolution",
    operations: {
      ...schemaMappingOperations(deps),
      ...idNamespaceOperations(deps),
      ...idMappingWorkflowOperations(deps),
      ...idMappingJobOperations(deps, runner),
      ...taggingOperations(deps),
    },
  };
  const ownerContext = (arn: string): RequestContext => {
    const parsed = parseErArn(arn, "idmappingworkflow");
    return {
      accountId: parsed?.accountId ?? deps.accountId,
      region: parsed?.region ?? deps.region,
      requestId: "internal",
    };
  };
  const internals: EntityResolutionInternals = {
    getIdNamespaceByArn: (arn) => getIdNamespaceByArn(deps, arn),
    getIdMappingWorkflowByArn: (arn) => getWorkflowByArn(deps, arn),
    async startIdMappingJob(workflowArn) {
      const name = parseErArn(workflowArn, "idmappingworkflow")?.name ?? "";
      const output = await service.operations["StartIdMappingJob"]!(
        { workflowName: name },
        ownerContext(workflowArn),
      );
      return output["jobId"] as string;
    },
    getIdMappingJob(workflowArn, jobId) {
      const parsed = parseErArn(workflowArn, "idmappingworkflow");
      if (!parsed) return undefined;
      return deps.store.get<IdMappingJobRecord>(
        ER_TABLES.idMappingJobs,
        jobKey(parsed.accountId, parsed.name, jobId),
      );
    },
    async putExternalTable(table) {
      await deps.store.transact((tx) => tx.put(ER_TABLES.externalTables, table.tableArn, table));
    },
    idle: () => runner.idle(),
  };
  return {
    service,
    providers: [
      schemaMappingProvider(service),
      idNamespaceProvider(service),
      idMappingWorkflowProvider(service),
    ],
    internals,
    start: () => runner.start(),
    stop: () => runner.stop(),
  };
}
