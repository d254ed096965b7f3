import { CreateIdMappingWorkflowInput } from "../../schemas/entity-resolution-api.ts";
import { notFound, validation } from "../aws-error.ts";
import type { CloudDeps } from "../deps.ts";
import { parseInput, requireString } from "../kit/inputs.ts";
import { paginate } from "../kit/paging.ts";
import { compact, toDate } from "../kit/shapes.ts";
import type { Operation, RequestContext } from "../service.ts";
import { erArn, parseErArn } from "./arns.ts";
import { conflict } from "./errors.ts";
import { assertRoleCanReadTable, assertRoleCanWrite } from "./inputs.ts";
import { accountKey, ER_TABLES, type IdMappingJobRecord, type IdMappingWorkflowRecord } from "./records.ts";
import { effectiveRules, expandWorkflowInputs } from "./workflow-inputs.ts";

const UpdateIdMappingWorkflowInput = CreateIdMappingWorkflowInput.omit({ tags: true });

export function getWorkflowByArn(deps: CloudDeps, arn: string): IdMappingWorkflowRecord | undefined {
  const parsed = parseErArn(arn, "idmappingworkflow");
  if (!parsed) return undefined;
  return deps.store.get<IdMappingWorkflowRecord>(
    ER_TABLES.idMappingWorkflows,
    accountKey(parsed.accountId, parsed.name),
  );
}

export function activeJob(
  deps: CloudDeps,
  accountId: string,
  workflowName: string,
): IdMappingJobRecord | undefined {
  return deps.store
    .list<IdMappingJobRecord>(ER_TABLES.idMappingJobs, `${accountId}/${workflowName}/`)
    .map(([, job]) => job)
    .find((job) => job.status === "QUEUED" || job.status === "RUNNING");
}

/** ER's checks on a workflow: inputs exist and pair SOURCE with TARGET, rules resolve, the role may read and write. */
async function validateWorkflow(
  deps: CloudDeps,
  ctx: RequestContext,
  workflow: Pick<
    IdMappingWorkflowRecord,
    "inputSourceConfig" | "idMappingTechniques" | "roleArn" | "outputSourceConfig"
  >,
): Promise<void> {
  const tables = expandWorkflowInputs(deps, ctx.accountId, workflow);
  effectiveRules(deps, ctx.accountId, workflow, tables);
  const direct = tables.filter((table) => !table.namespace);
  if ((direct.length > 0 || workflow.outputSourceConfig?.length) && !workflow.roleArn) {
    throw validation(
      "roleArn is required when the workflow reads Glue tables directly or writes output to S3",
    );
  }
  for (const table of direct) await assertRoleCanReadTable(deps, workflow.roleArn!, table.tableArn);
  for (const output of workflow.outputSourceConfig ?? [])
    await assertRoleCanWrite(deps, workflow.roleArn!, output.outputS3Path);
}

function describe(record: IdMappingWorkflowRecord) {
  return compact({
    workflowName: record.workflowName,
    workflowArn: record.workflowArn,
    description: record.description,
    inputSourceConfig: record.inputSourceConfig,
    outputSourceConfig: record.outputSourceConfig,
    idMappingTechniques: record.idMappingTechniques,
    incrementalRunConfig: record.incrementalRunConfig,
    roleArn: record.roleArn,
    createdAt: toDate(record.createdAt),
    updatedAt: toDate(record.updatedAt),
    tags: record.tags,
  });
}

/** The caller's ID mapping workflow of that name, or ER's ResourceNotFoundException. */
export function requireWorkflow(deps: CloudDeps, ctx: RequestContext, name: string): IdMappingWorkflowRecord {
  const record = deps.store.get<IdMappingWorkflowRecord>(
    ER_TABLES.idMappingWorkflows,
    accountKey(ctx.accountId, name),
  );
  if (!record) throw notFound(`The ID mapping workflow ${name} does not exist`);
  return record;
}

export function idMappingWorkflowOperations(deps: CloudDeps): Record<string, Operation> {
  const { store } = deps;
  return {
    async CreateIdMappingWorkflow(input, ctx) {
      const request = parseInput(CreateIdMappingWorkflowInput, input);
      const key = accountKey(ctx.accountId, request.workflowName);
      if (store.get(ER_TABLES.idMappingWorkflows, key)) {
        throw conflict(`An ID mapping workflow named ${request.workflowName} already exists`);
      }
      const { tags, ...rest } = request;
      await validateWorkflow(deps, ctx, rest as IdMappingWorkflowRecord);
      const now = Date.now();
      const record = compact({
        ...rest,
        workflowArn: erArn(ctx.region, ctx.accountId, "idmappingworkflow", request.workflowName),
        createdAt: now,
        updatedAt: now,
        tags: tags ?? {},
      }) as IdMappingWorkflowRecord;
      await store.transact((tx) => {
        if (tx.get(ER_TABLES.idMappingWorkflows, key)) {
          throw conflict(`An ID mapping workflow named ${request.workflowName} already exists`);
        }
        tx.put(ER_TABLES.idMappingWorkflows, key, record);
      });
      const { createdAt: _c, updatedAt: _u, tags: _t, ...output } = describe(record);
      return output;
    },

    async GetIdMappingWorkflow(input, ctx) {
      return describe(requireWorkflow(deps, ctx, requireString(input, "workflowName")));
    },

    async UpdateIdMappingWorkflow(input, ctx) {
      const request = parseInput(UpdateIdMappingWorkflowInput, input);
      const current = requireWorkflow(deps, ctx, request.workflowName);
      if (activeJob(deps, ctx.accountId, request.workflowName)) {
        throw conflict(
          `The ID mapping workflow ${request.workflowName} has a job in progress; update it when the job ends`,
        );
      }
      const next = compact({
        ...request,
        workflowArn: current.workflowArn,
        createdAt: current.createdAt,
        updatedAt: Date.now(),
        tags: current.tags,
      }) as IdMappingWorkflowRecord;
      await validateWorkflow(deps, ctx, next);
      await store.transact((tx) =>
        tx.put(ER_TABLES.idMappingWorkflows, accountKey(ctx.accountId, next.workflowName), next),
      );
      const { createdAt: _c, updatedAt: _u, tags: _t, ...output } = describe(next);
      return output;
    },

    async DeleteIdMappingWorkflow(input, ctx) {
      const name = requireString(input, "workflowName");
      const key = accountKey(ctx.accountId, name);
      if (store.get(ER_TABLES.idMappingWorkflows, key)) {
        if (activeJob(deps, ctx.accountId, name)) {
          throw conflict(
            `The ID mapping workflow ${name} has a job in progress; delete it when the job ends`,
          );
        }
        await store.transact((tx) => {
          tx.delete(ER_TABLES.idMappingWorkflows, key);
          for (const [jobKey] of store.list(ER_TABLES.idMappingJobs, `${key}/`))
            tx.delete(ER_TABLES.idMappingJobs, jobKey);
        });
      }
      return { message: `ID mapping workflow ${name} deleted` };
    },

    async ListIdMappingWorkflows(input, ctx) {
      const all = store
        .list<IdMappingWorkflowRecord>(ER_TABLES.idMappingWorkflows, `${ctx.accountId}/`)
        .map(([, record]) => ({
          workflowName: record.workflowName,
          workflowArn: record.workflowArn,
          createdAt: toDate(record.createdAt),
          updatedAt: toDate(record.updatedAt),
        }));
      const { page, nextToken } = paginate(all, input);
      return compact({ workflowSummaries: page, nextToken });
    },
  };
}
