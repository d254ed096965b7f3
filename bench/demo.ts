// Benchmark section: `idbridge demo` end to end at the default size, and iac up/no-op/plan of the
// demo's stack. Wired into BENCHMARKS.md by bench/run.ts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export async function run(): Promise<string> {
  const { runDemo } = await import("../src/demo/run.ts");
  const { LocalCloud } = await import("../src/cloud/index.ts");
  const { runStack } = await import("../src/iac/run-stack.ts");
  const rows: string[] = [];
  for (const [people, crm] of [
    [20_000, 5_000],
    [100_000, 25_000],
  ] as const) {
    const outDir = mkdtempSync(join(tmpdir(), "idbridge-bench-demo-"));
    try {
      const t0 = performance.now();
      const result = await runDemo({ people, crm, seed: 42, outDir });
      const demoSeconds = (performance.now() - t0) / 1000;
      const home = join(outDir, "cloud");
      const cloud = await LocalCloud.open({ home });
      try {
        const time = async (phase: "up" | "plan") => {
          const start = performance.now();
          await runStack(result.stackPath, phase, { home, cloud, stage: "demo", log: () => {} });
          return performance.now() - start;
        };
        const noop = await time("up");
        const plan = await time("plan");
        rows.push(
          `| ${people.toLocaleString("en-US")} | ${crm.toLocaleString("en-US")} | ${demoSeconds.toFixed(1)} s | ${(result.summary.metrics.matchRate * 100).toFixed(1)}% | ${(result.summary.metrics.precision * 100).toFixed(1)}% | ${(result.summary.metrics.recall * 100).toFixed(1)}% | ${noop.toFixed(0)} ms | ${plan.toFixed(0)} ms |`,
        );
      } finally {
        await cloud.close();
      }
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }
  return [
    "## idbridge demo and iac",
    "",
    "Whole route offline (synth → prepare → iac up → S3 upload → AMC API table + job → evaluate → query → report.html), then `up` again on the unchanged stack (no-op: no Cloud Control call, one S3 HEAD and a SHA-256 per uploaded file) and `plan` (state only).",
    "",
    "| people | CRM rows | demo wall time | match rate | precision | recall | iac no-op up | iac plan |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
}
