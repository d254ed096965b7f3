import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { renderReportHtml } from "./report-html.ts";
import { runSegmentQuery } from "./segment-query.ts";
import type { DemoSummary } from "./types.ts";

export interface DemoOptions {
  /** People in the synthetic Amazon-side identity graph. @default 20000 */
  people?: number;
  /** Rows of the messy synthetic CRM. @default 5000 */
  crm?: number;
  /** Seed: the same seed gives the same data and the same figures. @default 42 */
  seed?: number;
  /** Output directory (report.html, summary.json, the stack file, the local cloud). @default "idbridge-demo" */
  outDir?: string;
  /** One line per step (stderr in the CLI). @default silent */
  log?: (line: string) => void;
  /** Job progress while the ID mapping job runs. */
  onJobProgress?: (status: string, processed: number, total: number, elapsedMs: number) => void;
}

export interface DemoResult {
  summary: DemoSummary;
  reportHtmlPath: string;
  summaryPath: string;
  stackPath: string;
}

/**
 * The whole route offline: synthesize → prepare → iac up on the local cloud → upload → AMC API
 * (HTTP) creates the ID mapping table → follow the job → evaluate against the truth → an AMC-style
 * query on DuckDB → report.html. Starts from a fresh local cloud under `<outDir>/cloud` every run.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const started = Date.now();
  const people = options.people ?? 20_000;
  const crm = options.crm ?? 5_000;
  const seed = options.seed ?? 42;
  const outDir = resolve(options.outDir ?? "idbridge-demo");
  const log = options.log ?? (() => {});
  if (!Number.isInteger(people) || people < 10) throw new Error("--people must be an integer ≥ 10");
  if (!Number.isInteger(crm) || crm < 1 || crm > people * 2)
    throw new Error("--crm must be an integer between 1 and 2 × --people");
  const home = join(outDir, "cloud");
  // A fresh local cloud each run: AMC allows 5 ID mapping tables per instance, and the demo makes one.
  rmSync(home, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const step = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const value = await run();
    log(`✓ ${label} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return value;
  };

  const { synth } = await import("../synth/index.ts");
  const synthetic = await step(`synthesized ${people} Amazon-side people and ${crm} CRM rows`, () =>
    synth({ outDir: join(outDir, "synth"), people, crm, seed }),
  );
  const { prepare } = await import("../prepare/index.ts");
  const prepared = await step(
    "prepared the CRM (normalized, SHA-256, Parquet, schema mapping, Glue input)",
    () => prepare({ input: synthetic.crmPath, outDir: join(outDir, "prepared"), tableName: "crm" }),
  );

  const { LocalCloud } = await import("../cloud/index.ts");
  const { startServer } = await import("../serve/index.ts");
  const cloud = await LocalCloud.open({ home });
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    server = await startServer({ cloud, home, port: 0 });
    log(`✓ local cloud serving on ${server.url}`);
    const { loadAmazonGraph } = await import("../cloud/amc/index.ts");
    await step("loaded the Amazon-side graph as the AMC instance's TARGET namespace", () =>
      loadAmazonGraph(cloud.deps, { targetFile: synthetic.targetFile, people, seed }),
    );

    const { installedEntryPoints, starterStack } = await import("../iac/starter-stack.ts");
    const { runStack } = await import("../iac/run-stack.ts");
    const { inModulePackage } = await import("../iac/run-stack.ts");
    // Top-level await needs ESM: outside a "type": "module" package the stack is a .mts file.
    const stackPath = join(outDir, inModulePackage(join(outDir, "stack.ts")) ? "stack.ts" : "stack.mts");
    await writeFileAtomic(
      stackPath,
      starterStack({
        appName: "idbridge-demo",
        preparedDir: "./prepared/",
        importFrom: installedEntryPoints(),
      }),
    );
    const [applied] = await step(
      "brought the stack up through iac (bucket + upload, Glue, role, schema mapping, namespace, association)",
      () => runStack(stackPath, "up", { home, cloud, stage: "demo", log: () => {} }),
    );
    const { AmcClient } = await import("../amc-client/index.ts");
    const { LOCAL_AMC } = await import("../cloud/local-amc.ts");
    const amc = new AmcClient({
      endpoint: server.url,
      accessToken: server.amcToken,
      clientId: LOCAL_AMC.clientId,
      accountId: LOCAL_AMC.accountId,
      marketplaceId: LOCAL_AMC.marketplaceId,
      instanceId: LOCAL_AMC.instanceId,
    });
    // Amazon Ads' AMC guide "Bring identity data into the collaboration instance", "Create an ID mapping
    // table" step 3: the namespaces associated with the collaboration and free for a table.
    const namespaceArn = await step("AMC API: found the associated SOURCE namespace", async () => {
      const free = await amc.listNamespaces();
      const arn =
        free.find((n) => String(n.name ?? "").endsWith("-demo"))?.idNamespaceArn ?? free[0]?.idNamespaceArn;
      if (typeof arn !== "string") throw new Error("the AMC API lists no namespace for a mapping table");
      return arn;
    });
    const created = await step("AMC API: created the ID mapping table", () =>
      amc.createTable({
        idMappingTableName: "crm_mapping",
        sourceIdNamespaceArn: namespaceArn,
        description: "idbridge demo",
      }),
    );
    const job = await step("AMC API: ID mapping job finished", () =>
      amc.waitForJob(created.idMappingTable.id, created.idMappingWorkflowJobId, {
        initialDelayMs: 50,
        maxDelayMs: 500,
        onProgress: (j, elapsed) =>
          options.onJobProgress?.(
            j.status,
            j.metrics?.totalRecordsProcessed ?? 0,
            j.metrics?.inputRecords ?? 0,
            elapsed,
          ),
      }),
    );

    const mappingFile = await mappingOf(
      cloud,
      created.idMappingTable.workflowArn,
      created.idMappingWorkflowJobId,
    );
    const { evaluate } = await import("../evaluate/index.ts");
    const evaluation = await step("evaluated the mapping against the truth", async () =>
      evaluate({ mapping: mappingFile, truth: synthetic.truthPath }),
    );
    const crmTable = prepared.tables[0]!;
    const query = await step("ran an AMC-style query on DuckDB (conversions by CRM segment)", () =>
      runSegmentQuery({
        mappingFile,
        sourceFile: crmTable.parquetPath,
        sourceIdColumn: uniqueIdColumn(prepared),
        targetFile: synthetic.targetFile,
        targetIdColumn: "target_id",
        seed,
      }),
    );

    const summary: DemoSummary = {
      options: { people, crm, seed },
      seconds: (Date.now() - started) / 1000,
      funnel: [
        { step: "CRM rows", count: prepared.report.rowsIn },
        { step: "prepared rows", count: prepared.report.rowsOut },
        { step: "mapped to an Amazon id", count: evaluation.mappedSourceRecords },
        { step: "mapped correctly", count: evaluation.truePositives },
      ],
      metrics: {
        matchRate: evaluation.matchRate,
        precision: evaluation.precision,
        recall: evaluation.recall,
        f1: evaluation.f1,
      },
      perRule: evaluation.perRule.map((r) => ({
        rule: r.ruleName,
        matched: r.mapped,
        precision: r.precision,
      })),
      perField: prepared.report.columns.map((c) => ({
        column: c.column,
        kind: c.kind,
        fillRate: c.fillRate,
        invalid: c.invalid,
      })),
      job: {
        jobId: created.idMappingWorkflowJobId,
        tableId: created.idMappingTable.id,
        status: job.status,
        metrics: Object.fromEntries(
          Object.entries(job.metrics ?? {}).filter(([, v]) => typeof v === "number"),
        ) as Record<string, number>,
      },
      stack: (applied?.resources ?? []).map((r) => ({
        id: r.id,
        typeName: r.typeName,
        action: r.action,
        ...(r.identifier ? { identifier: r.identifier } : {}),
      })),
      query,
      files: {
        report: join(outDir, "report.html"),
        summary: join(outDir, "summary.json"),
        stack: stackPath,
        prepared: join(outDir, "prepared"),
        prepareReport: prepared.reportHtmlPath,
      },
      next: [
        `idbridge prepare your-crm.csv --out prepared && idbridge init --from prepared && idbridge up stack.ts`,
        `idbridge serve   # then any AWS SDK/CLI: eval "$(idbridge env)"; aws cleanrooms list-memberships`,
        `idbridge plan ${stackPath} --backend aws   # the same stack on AWS (us-east-1)`,
      ],
    };
    summary.seconds = (Date.now() - started) / 1000;
    const reportHtmlPath = join(outDir, "report.html");
    const summaryPath = join(outDir, "summary.json");
    await writeFileAtomic(reportHtmlPath, renderReportHtml(summary));
    await writeFileAtomic(summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
    return { summary, reportHtmlPath, summaryPath, stackPath };
  } finally {
    await server?.close();
    await cloud.close();
  }
}

type PreparedResult = Awaited<ReturnType<typeof import("../prepare/index.ts").prepare>>;

/** The prepared table's UNIQUE_ID column, from its schema mapping. */
function uniqueIdColumn(prepared: PreparedResult): string {
  const table = prepared.tables[0]!;
  const mapping = JSON.parse(readFileSync(table.schemaMappingPath, "utf8")) as {
    mappedInputFields: Array<{ fieldName: string; type: string }>;
  };
  const id = mapping.mappedInputFields.find((field) => field.type === "UNIQUE_ID");
  if (!id) throw new Error(`${table.schemaMappingPath} has no UNIQUE_ID field`);
  return id.fieldName;
}

/**
 * The rows of the ID mapping table (source id → Amazon id, rule): in AMC you would query them in
 * SQL; offline they are the local Entity Resolution job's output file.
 */
async function mappingOf(
  cloud: { deps: import("../cloud/deps.ts").CloudDeps },
  workflowArn: string | undefined,
  jobId: string,
): Promise<string> {
  const { createEntityResolution } = await import("../cloud/entity-resolution/index.ts");
  const er = await createEntityResolution(cloud.deps);
  const job = workflowArn ? er.internals.getIdMappingJob(workflowArn, jobId) : undefined;
  if (!job?.outputFile) throw new Error(`the ID mapping job ${jobId} left no output`);
  return job.outputFile;
}
