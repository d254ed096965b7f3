// kill -9 of `idbridge serve` (a child process on loopback) at random instants under mixed writes —
// S3 puts and deletes, Glue and IAM writes, Cloud Control creates of six kinds (Glue databases
// without DatabaseName among them) and create/update/delete cycles — counting acknowledged writes
// that were lost or contradicted after the restarts (test/support/crash-soak.ts does the checking).
// Bounded: IDBRIDGE_BENCH_CRASH_KILLS kills (default 50) and at most 20 minutes.
// Run alone: `npm run bench -- crash-soak`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setting } from "../src/config.ts";
import { crashSoak } from "../test/support/crash-soak.ts";

const TIME_LIMIT_MS = 20 * 60_000;

export async function run(): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), "idbridge-bench-crash-"));
  try {
    const report = await crashSoak({
      home,
      kills: setting("benchCrashKills"),
      workload: "mixed",
      timeLimitMs: TIME_LIMIT_MS,
      log: (line) => process.stderr.write(`crash-soak: ${line}\n`),
    });
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    const problems = [...report.lost, ...report.contradicted, ...report.orphans, ...report.errors];
    return [
      "## Crash soak (kill -9 of idbridge serve under mixed writes)",
      "",
      `${report.kills} kill -9s of \`idbridge serve\` at random instants (0.15-0.9 s of writes each, seed ${report.seed}) in ${report.seconds.toFixed(0)} s;`,
      "after every restart each acknowledged write was checked against the service's own reads and listings",
      "(test/support/crash-soak.ts). A request cut by the kill is resent with its ClientToken, as an SDK retry would.",
      "",
      "| acknowledged writes | count |",
      "|---|---:|",
      ...Object.entries(report.acknowledged)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([kind, n]) => `| ${kind} | ${n.toLocaleString("en-US")} |`),
      `| **total** | **${sum(report.acknowledged).toLocaleString("en-US")}** |`,
      "",
      "| result | count |",
      "|---|---:|",
      `| requests cut by a kill (sent, not answered) | ${report.inFlightAtKill} |`,
      `| Cloud Control creates running inside the server at a kill, by how they ended | ${
        Object.entries(report.createsRunningAtKill)
          .map(([outcome, n]) => `${n} ${outcome}`)
          .join(", ") || "none"
      } |`,
      `| acknowledged writes lost | **${report.lost.length}** |`,
      `| acknowledged writes contradicted | **${report.contradicted.length}** |`,
      `| resources no SUCCESS accounts for (orphans) | **${report.orphans.length}** |`,
      `| errors while the server was up | ${report.errors.length} |`,
      "",
      ...(problems.length > 0 ? ["Problems:", "", ...problems.slice(0, 20).map((p) => `- ${p}`), ""] : []),
    ].join("\n");
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await run());
