import type { Command } from "commander";
import { CliError } from "../cli-error.ts";

interface DemoCliOptions {
  people: string;
  crm: string;
  seed: string;
  out: string;
  json?: boolean;
}

const integer = (name: string, value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(`--${name} must be a positive integer, not "${value}"`);
  return n;
};

export function register(program: Command): void {
  program
    .command("demo")
    .description(
      "run the whole route offline: synthetic Amazon graph + messy CRM → prepare → iac up on the local cloud → AMC API ID mapping table → evaluate → AMC-style SQL → report.html",
    )
    .option("--people <n>", "people in the synthetic Amazon-side graph", "20000")
    .option("--crm <n>", "rows in the synthetic CRM", "5000")
    .option("--seed <n>", "random seed (same seed, same figures)", "42")
    .option("--out <dir>", "output directory", "idbridge-demo")
    .option("--json", "print the summary as JSON on stdout")
    .action(async (options: DemoCliOptions) => {
      const people = integer("people", options.people);
      const crm = integer("crm", options.crm);
      const seed = integer("seed", options.seed);
      // The demo uploads with the AWS SDK, which warns on stderr about Node 20's support window.
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
      const { runDemo } = await import("../../demo/run.ts");
      const { formatSummary } = await import("../../demo/format.ts");
      const tty = process.stderr.isTTY === true;
      const result = await runDemo({
        people,
        crm,
        seed,
        outDir: options.out,
        log: (line) => {
          if (tty) process.stderr.write("\r\x1b[K");
          process.stderr.write(`${line}\n`);
        },
        onJobProgress: (status, processed, total, elapsedMs) => {
          if (!tty) return;
          const rate = elapsedMs > 0 ? Math.round((processed / elapsedMs) * 1000) : 0;
          const eta = rate > 0 && total > processed ? `, ETA ${Math.ceil((total - processed) / rate)} s` : "";
          process.stderr.write(
            `\r\x1b[K  job ${status} ${processed}/${total || "?"} records${rate ? ` (${rate}/s${eta})` : ""}`,
          );
        },
      });
      if (options.json) process.stdout.write(`${JSON.stringify(result.summary, null, 2)}\n`);
      else process.stdout.write(`${formatSummary(result.summary)}\n`);
    });
}
