import type { Command } from "commander";
import { CliError } from "../cli-error.ts";

interface SynthFlags {
  out: string;
  people: string;
  crm: string;
  seed: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command("synth")
    .description(
      "Generate a seeded synthetic identity graph (TARGET, hashed like Amazon's), a noisy CRM export " +
        "(SOURCE) drawn from it, and the ground truth that maps one to the other.",
    )
    .requiredOption("-o, --out <dir>", "output directory")
    .option("--people <n>", "persons in the graph", "100000")
    .option("--crm <n>", "rows in the CRM export", "10000")
    .option("--seed <n>", "random seed (same seed, same files)", "1")
    .option("--json", "print the result as JSON on stdout")
    .addHelpText("after", "\nExample:\n  idbridge synth --out synth/ --people 1000000 --crm 100000 --seed 42")
    .action(async (flags: SynthFlags) => {
      const people = positiveInteger(flags.people, "--people");
      const crm = positiveInteger(flags.crm, "--crm");
      const seed = Number(flags.seed);
      if (!Number.isInteger(seed)) throw new CliError(`--seed ${flags.seed}: expected an integer`);
      const { synth } = await import("../../synth/index.ts");
      const progress = !flags.json && process.stderr.isTTY ? createPhaseProgress() : undefined;
      try {
        const result = await synth({ outDir: flags.out, people, crm, seed, onProgress: progress?.update });
        progress?.done();
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        const s = result.stats;
        process.stdout.write(
          [
            `synthesized in ${(s.elapsedMs / 1000).toFixed(1)} s`,
            `  graph (TARGET): ${result.targetFile}  (${s.people.toLocaleString("en-US")} people, ${s.targetRows.toLocaleString("en-US")} rows)`,
            `  CRM (SOURCE):   ${result.crmPath}  (${s.crmRecords.toLocaleString("en-US")} rows: ${s.crmInGraph.toLocaleString("en-US")} in the graph, ${s.crmAbsent.toLocaleString("en-US")} absent, ${s.crmDuplicates.toLocaleString("en-US")} duplicates)`,
            `  truth:          ${result.truthPath}`,
            `next: idbridge match --source ${result.crmPath} --target ${result.targetFile} --out <dir>`,
          ].join("\n") + "\n",
        );
      } catch (error) {
        progress?.done();
        throw error;
      }
    });
}

function positiveInteger(value: string, flag: string): number {
  const n = Number(value.replaceAll("_", ""));
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag} ${value}: expected a positive integer`);
  return n;
}

/** One status line on stderr (TTY only): phase, count, rate and ETA, redrawn at most 10 times a second. */
export function createPhaseProgress() {
  const started = new Map<string, number>();
  let last = 0;
  return {
    update(p: { phase: string; done?: number; total?: number }) {
      const now = performance.now();
      if (!started.has(p.phase)) started.set(p.phase, now);
      if (now - last < 100) return;
      last = now;
      const seconds = (now - started.get(p.phase)!) / 1000;
      let text = p.phase;
      if (p.done !== undefined && p.total) {
        const rate = p.done / Math.max(seconds, 1e-3);
        const eta = rate > 0 ? (p.total - p.done) / rate : undefined;
        text += `: ${p.done.toLocaleString("en-US")}/${p.total.toLocaleString("en-US")}, ${Math.round(rate).toLocaleString("en-US")}/s`;
        if (eta !== undefined) text += `, ETA ${eta.toFixed(0)} s`;
      }
      process.stderr.write(`\r${text}\x1b[K`);
    },
    done() {
      if (last > 0) process.stderr.write("\r\x1b[K");
    },
  };
}
