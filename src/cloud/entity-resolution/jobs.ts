import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { MatchInput } from "../../match/index.ts";
import { MatchValidationError, runIdMapping } from "../../match/index.ts";
import { AwsError, notFound, validation } from "../aws-error.ts";
import type { CloudDeps } from "../deps.ts";
import { requireString } from "../kit/inputs.ts";
import { paginate } from "../kit/paging.ts";
import { compact, toDate } from "../kit/shapes.ts";
import type { Operation } from "../service.ts";
import { conflict } from "./errors.ts";
import { activeJob, requireWorkflow } from "./id-mapping-workflows.ts";
import { assertRoleCanReadTable, resolveTable } from "./inputs.ts";
import {
  accountKey,
  ER_TABLES,
  type IdMappingJobRecord,
  type IdMappingWorkflowRecord,
  jobKey,
} from "./records.ts";
import { effectiveRules, expandWorkflowInputs } from "./workflow-inputs.ts";

/** Why a job the process was running when it died is failed rather than resumed a second time. */
const INTERRUPTED_TWICE =
  "The job was interrupted twice by a stop of the local cloud while RUNNING; start a new job";

/**
 * A job's failure reason without data values or internal paths: ER-style validation messages pass,
 * with each input file named by its S3 object (or table) instead of the local cloud's blob file
 * and any other path under the local cloud's home hidden; anything else is generic.
 */
function failureMessage(error: unknown, publicNames: ReadonlyMap<string, string>, home: string): string {
  if (!(error instanceof AwsError || error instanceof MatchValidationError)) {
    const name = error instanceof Error ? error.name : "Error";
    return `Entity Resolution could not complete the job: an internal error occurred (${name})`;
  }
  let message = error.message;
  // Longest first, so a file whose path starts with another's is replaced whole.
  for (const file of [...publicNames.keys()].sort((a, b) => b.length - a.length)) {
    message = message.split(file).join(publicNames.get(file)!);
  }
  return message.split(home).join("(local cloud storage)");
}

/**
 * Runs ID mapping jobs in the background, one at a time (a DuckDB match uses every core), in the
 * order they were started. Every status change is a store transaction, so a restart finds each
 * job QUEUED, RUNNING (the process died under it), SUCCEEDED or FAILED.
 */
export class IdMappingJobRunner {
  private readonly queue: string[] = [];
  private current: Promise<void> | undefined;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly deps: CloudDeps) {}

  enqueue(key: string): void {
    if (!this.queue.includes(key)) this.queue.push(key);
    this.pump();
  }

  /** Requeues jobs left QUEUED, resumes those left RUNNING once, fails those interrupted twice. */
  async start(): Promise<void> {
    this.stopped = false;
    const jobs = this.deps.store
      .list<IdMappingJobRecord>(ER_TABLES.idMappingJobs)
      .filter(([, job]) => job.status === "QUEUED" || job.status === "RUNNING")
      .sort(([, a], [, b]) => a.startTime - b.startTime);
    for (const [key, job] of jobs) {
      if (job.status === "RUNNING" && job.attempts >= 2) {
        await this.deps.store.transact((tx) =>
          tx.put(ER_TABLES.idMappingJobs, key, {
            ...structuredClone(job),
            status: "FAILED",
            endTime: Date.now(),
            errorDetails: { errorMessage: INTERRUPTED_TWICE },
          }),
        );
        continue;
      }
      if (job.status === "RUNNING") {
        await this.deps.store.transact((tx) =>
          tx.put(ER_TABLES.idMappingJobs, key, { ...structuredClone(job), status: "QUEUED" }),
        );
      }
      this.enqueue(key);
    }
  }

  /** Stops taking jobs and waits for the one running; queued jobs stay QUEUED for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    await this.current;
  }

  /** Resolves when no job is queued or running (tests and the demo wait on it). */
  idle(): Promise<void> {
    if (!this.current && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    if (this.current || this.stopped) return;
    const key = this.queue.shift();
    if (key === undefined) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
      return;
    }
    this.current = this.execute(key)
      .catch((error: unknown) => {
        // Only the store can fail here (e.g. closed under a job): the job stays QUEUED/RUNNING in
        // the journal and the next start resumes it, so warn instead of crashing the process.
        process.emitWarning(`ID mapping job ${key} could not record its state: ${(error as Error).message}`);
      })
      .finally(() => {
        this.current = undefined;
        this.pump();
      });
  }

  private async execute(key: string): Promise<void> {
    const { store } = this.deps;
    const queued = store.get<IdMappingJobRecord>(ER_TABLES.idMappingJobs, key);
    if (queued?.status !== "QUEUED") return;
    const running: IdMappingJobRecord = {
      ...structuredClone(queued),
      status: "RUNNING",
      attempts: queued.attempts + 1,
    };
    await store.transact((tx) => tx.put(ER_TABLES.idMappingJobs, key, running));
    let finished: IdMappingJobRecord;
    const publicNames = new Map<string, string>();
    try {
      const result = await this.run(running, publicNames);
      finished = { ...running, status: "SUCCEEDED", endTime: Date.now(), ...result };
    } catch (error) {
      finished = {
        ...running,
        status: "FAILED",
        endTime: Date.now(),
        errorDetails: { errorMessage: failureMessage(error, publicNames, this.deps.home) },
      };
    }
    // A workflow deleted while its job ran takes the job record with it.
    if (!store.get(ER_TABLES.idMappingWorkflows, accountKey(running.accountId, running.workflowName))) return;
    await store.transact((tx) => tx.put(ER_TABLES.idMappingJobs, key, finished));
  }

  /** Runs the job; `publicNames` collects, for its error message, what each local input file is. */
  private async run(
    job: IdMappingJobRecord,
    publicNames: Map<string, string>,
  ): Promise<Partial<IdMappingJobRecord>> {
    const { deps } = this;
    const workflow = deps.store.get<IdMappingWorkflowRecord>(
      ER_TABLES.idMappingWorkflows,
      accountKey(job.accountId, job.workflowName),
    );
    if (!workflow) throw validation(`The ID mapping workflow ${job.workflowName} no longer exists`);
    const tables = expandWorkflowInputs(deps, job.accountId, workflow);
    const rules = effectiveRules(deps, job.accountId, workflow, tables);
    const sides: Record<"SOURCE" | "TARGET", MatchInput[]> = { SOURCE: [], TARGET: [] };
    for (const table of tables) {
      // ER reads with the role at run time too: a policy removed since creation fails the job.
      if (table.roleArn) await assertRoleCanReadTable(deps, table.roleArn, table.tableArn);
      const resolved = await resolveTable(deps, table.tableArn);
      for (const [file, name] of resolved.publicNames) publicNames.set(file, name);
      const columns = new Set(resolved.columns);
      for (const field of table.schema.mappedInputFields) {
        if (columns.size > 0 && !columns.has(field.fieldName)) {
          throw validation(
            `Schema mapping ${table.schema.schemaName} field ${field.fieldName} is not a column of Glue table ${table.tableArn}`,
          );
        }
      }
      sides[table.side].push({
        name: `${table.schema.schemaName}:${table.tableArn.split("/").slice(-1)[0]}`,
        files: resolved.files,
        schema: {
          schemaName: table.schema.schemaName,
          mappedInputFields: table.schema.mappedInputFields,
        },
      });
    }
    const outDir = deps.store.blobDir("entityresolution", "jobs", job.accountId, job.workflowName);
    await mkdir(outDir, { recursive: true });
    const outFile = path.join(outDir, `${job.jobId}.parquet`);
    const result = await runIdMapping({ sources: sides.SOURCE, targets: sides.TARGET, rules, outFile });
    for (const output of job.outputSourceConfig ?? []) {
      const base = output.outputS3Path.replace(/\/+$/, "");
      await deps.s3.putObjectFromFile(
        `${base}/${job.workflowName}/${job.jobId}/success/mapping.parquet`,
        result.outFile,
      );
    }
    return {
      metrics: result.metrics,
      perRule: Object.fromEntries(result.perRule.map((rule) => [rule.ruleName, rule.mappedSourceRecords])),
      outputFile: result.outFile,
    };
  }
}

function describeJob(job: IdMappingJobRecord) {
  return compact({
    jobId: job.jobId,
    status: job.status,
    startTime: toDate(job.startTime),
    endTime: toDate(job.endTime),
    metrics: job.metrics,
    errorDetails: job.errorDetails,
    outputSourceConfig: job.outputSourceConfig,
    jobType: job.jobType,
  });
}

/** ER's job id: 32 lowercase hex characters. */
export const newJobId = () => randomBytes(16).toString("hex");

export function idMappingJobOperations(
  deps: CloudDeps,
  runner: IdMappingJobRunner,
): Record<string, Operation> {
  const { store } = deps;
  // Workflows whose start is being committed: two concurrent starts must not both pass the check.
  const starting = new Set<string>();
  return {
    async StartIdMappingJob(input, ctx) {
      const workflowName = requireString(input, "workflowName");
      const workflow = requireWorkflow(deps, ctx, workflowName);
      const jobType = input["jobType"] as IdMappingJobRecord["jobType"] | undefined;
      if (jobType !== undefined && !["INCREMENTAL", "BATCH", "DELETE_ONLY"].includes(jobType)) {
        throw validation("jobType must be one of INCREMENTAL, BATCH, DELETE_ONLY");
      }
      const requestedOutput = input["outputSourceConfig"] as
        | IdMappingJobRecord["outputSourceConfig"]
        | undefined;
      const outputSourceConfig =
        requestedOutput ??
        workflow.outputSourceConfig?.map((output) =>
          compact({
            roleArn: workflow.roleArn ?? "",
            outputS3Path: output.outputS3Path,
            KMSArn: output.KMSArn,
          }),
        );
      const job: IdMappingJobRecord = compact({
        jobId: newJobId(),
        accountId: ctx.accountId,
        region: ctx.region,
        workflowName,
        workflowArn: workflow.workflowArn,
        status: "QUEUED" as const,
        startTime: Date.now(),
        outputSourceConfig,
        jobType,
        attempts: 0,
      });
      const key = jobKey(ctx.accountId, workflowName, job.jobId);
      const workflowKey = accountKey(ctx.accountId, workflowName);
      // Quota: one running ID mapping job per workflow.
      const running = activeJob(deps, ctx.accountId, workflowName);
      if (running || starting.has(workflowKey)) {
        const which = running ? `job ${running.jobId} ${running.status}` : "a job starting";
        throw conflict(`The ID mapping workflow ${workflowName} already has ${which}; wait for it to end`);
      }
      starting.add(workflowKey);
      try {
        await store.transact((tx) => tx.put(ER_TABLES.idMappingJobs, key, job));
      } finally {
        starting.delete(workflowKey);
      }
      runner.enqueue(key);
      return compact({ jobId: job.jobId, outputSourceConfig: job.outputSourceConfig, jobType: job.jobType });
    },

    async GetIdMappingJob(input, ctx) {
      const workflowName = requireString(input, "workflowName");
      const jobId = requireString(input, "jobId");
      requireWorkflow(deps, ctx, workflowName);
      const job = store.get<IdMappingJobRecord>(
        ER_TABLES.idMappingJobs,
        jobKey(ctx.accountId, workflowName, jobId),
      );
      if (!job) throw notFound(`The ID mapping job ${jobId} of workflow ${workflowName} does not exist`);
      return describeJob(job);
    },

    async ListIdMappingJobs(input, ctx) {
      const workflowName = requireString(input, "workflowName");
      requireWorkflow(deps, ctx, workflowName);
      const all = store
        .list<IdMappingJobRecord>(ER_TABLES.idMappingJobs, `${ctx.accountId}/${workflowName}/`)
        .map(([, job]) => job)
        .sort((a, b) => b.startTime - a.startTime)
        .map((job) =>
          compact({
            jobId: job.jobId,
            status: job.status,
            startTime: toDate(job.startTime),
            endTime: toDate(job.endTime),
          }),
        );
      const { page, nextToken } = paginate(all, input);
      return compact({ jobs: page, nextToken });
    },
  };
}
