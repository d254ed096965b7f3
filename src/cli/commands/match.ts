import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import type { MatchInput } from "../../match/index.ts";
import type { IdMappingRuleBasedProperties } from "../../schemas/entity-resolution-api.ts";
import { CliError } from "../cli-error.ts";
import { readRules } from "./evaluate.ts";
import { createPhaseProgress } from "./synth.ts";

interface MatchFlags {
  source: string;
  target: string;
  rules?: string;
  out: string;
  sourceSchema?: string;
  targetSchema?: string;
  country: string;
  threads?: string;
  memoryLimit?: string;
  json?: boolean;
}

const DATA_FILE = /\.(parquet|csv)$/i;
const SCHEMA_SUFFIX = ".schema-mapping.json";

export function register(program: Command): void {
  program
    .command("match")
    .description(
      "Run Entity Resolution's rule-based ID mapping locally: map every SOURCE record to a TARGET record " +
        "by waterfall rules, write mapping.parquet (source_id, target_id, match_rule) and ER's job metrics.",
    )
    .requiredOption("--source <file|dir>", "SOURCE data: a Parquet/CSV file, or a directory of them")
    .requiredOption("--target <file|dir>", "TARGET data: a Parquet/CSV file, or a directory of them")
    .requiredOption("-o, --out <dir>", "output directory for mapping.parquet and metrics.json")
    .option(
      "--rules <file>",
      "ruleBasedProperties JSON (default: `idbridge rules default`, keys both sides have)",
    )
    .option(
      "--source-schema <file>",
      "schema mapping of the source (default: <data>.schema-mapping.json beside it)",
    )
    .option(
      "--target-schema <file>",
      "schema mapping of the target (default: <data>.schema-mapping.json beside it)",
    )
    .option("--country <code>", "ISO country for raw phones and postal codes without a country column", "US")
    .option("--threads <n>", "DuckDB threads (default: all cores)")
    .option("--memory-limit <size>", "DuckDB memory limit, e.g. 3GB")
    .option("--json", "print the result as JSON on stdout")
    .addHelpText(
      "after",
      "\nExamples:\n  idbridge match --source synth/crm.csv --target synth/graph.parquet --out out/\n" +
        "  idbridge match --source prepared/ --target graph/ --rules rules.json --out out/ --json",
    )
    .action(async (flags: MatchFlags) => {
      const { runIdMapping, defaultRulesFor, MatchValidationError } = await import("../../match/index.ts");
      const { mkdir } = await import("node:fs/promises");
      const writeFileAtomic = (await import("write-file-atomic")).default;
      const sources = await resolveInputs("source", flags.source, flags.sourceSchema);
      const targets = await resolveInputs("target", flags.target, flags.targetSchema);
      let rules: IdMappingRuleBasedProperties;
      try {
        rules = flags.rules
          ? await readRules(flags.rules)
          : defaultRulesFor(matchKeysOf(sources), matchKeysOf(targets));
      } catch (error) {
        if (error instanceof MatchValidationError) throw new CliError(error.message, "pass --rules <file>");
        throw error;
      }
      await mkdir(flags.out, { recursive: true });
      const outFile = path.join(flags.out, "mapping.parquet");
      const progress = !flags.json && process.stderr.isTTY ? createPhaseProgress() : undefined;
      const controller = new AbortController();
      const onSignal = () => controller.abort(new CliError("interrupted", undefined, 130));
      process.once("SIGINT", onSignal);
      try {
        const result = await runIdMapping({
          sources,
          targets,
          rules,
          outFile,
          country: flags.country,
          threads: flags.threads ? Number(flags.threads) : undefined,
          memoryLimit: flags.memoryLimit,
          onProgress: progress?.update,
          signal: controller.signal,
        });
        progress?.done();
        await writeFileAtomic(
          path.join(flags.out, "metrics.json"),
          `${JSON.stringify({ ...result, rules }, null, 2)}\n`,
        );
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        const m = result.metrics;
        const n = (x: number) => x.toLocaleString("en-US");
        const t = result.timingsMs;
        const lines = [
          `mapped ${n(m.totalMappedSourceRecords)} source records to ${n(m.totalMappedTargetRecords)} target records` +
            (t
              ? ` in ${((t.load + t.match + t.write + t.metrics) / 1000).toFixed(1)} s (load ${(t.load / 1000).toFixed(1)}, match ${(t.match / 1000).toFixed(1)}, write ${(t.write / 1000).toFixed(1)}, metrics ${(t.metrics / 1000).toFixed(1)})`
              : ""),
          `  input records ${n(m.inputRecords)}, not processed ${n(m.recordsNotProcessed)}, unique ${n(m.uniqueRecordsLoaded)}`,
          ...result.perRule.map(
            (r) =>
              `  ${r.ruleName}: ${n(r.mappedSourceRecords)} sources → ${n(r.mappedTargetRecords)} targets`,
          ),
          `  ${outFile}`,
        ];
        process.stdout.write(`${lines.join("\n")}\n`);
      } catch (error) {
        progress?.done();
        if (controller.signal.aborted) throw controller.signal.reason;
        if (error instanceof MatchValidationError) {
          throw new CliError(
            error.message,
            "fix the rules or schema mapping named above; `idbridge rules default` shows a valid rule set",
          );
        }
        throw error;
      } finally {
        process.off("SIGINT", onSignal);
      }
    });
}

function matchKeysOf(inputs: MatchInput[]): Set<string> {
  return new Set(
    inputs.flatMap((i) => i.schema.mappedInputFields.flatMap((f) => (f.matchKey ? [f.matchKey] : []))),
  );
}

/** A data file with its schema mapping, or every data file of a directory that has one beside it. */
async function resolveInputs(
  role: string,
  target: string,
  schemaFile: string | undefined,
): Promise<MatchInput[]> {
  const info = await stat(target).catch(() => {
    throw new CliError(`--${role} ${target}: no such file or directory`);
  });
  if (info.isFile()) {
    const schemaPath = schemaFile ?? besideSchema(target);
    return [
      {
        name: path.basename(target).replace(DATA_FILE, ""),
        files: [target],
        schema: await readSchema(role, schemaPath),
      },
    ];
  }
  const names = (await readdir(target)).filter((f) => DATA_FILE.test(f) && !f.startsWith(".")).sort();
  const inputs: MatchInput[] = [];
  for (const name of names) {
    const file = path.join(target, name);
    const schemaPath = schemaFile ?? besideSchema(file);
    if (!schemaFile && !(await stat(schemaPath).catch(() => undefined))) continue;
    inputs.push({
      name: name.replace(DATA_FILE, ""),
      files: [file],
      schema: await readSchema(role, schemaPath),
    });
  }
  if (inputs.length === 0) {
    throw new CliError(
      `--${role} ${target}: no Parquet/CSV file with a ${SCHEMA_SUFFIX} beside it`,
      `run \`idbridge prepare\` on it, or pass --${role}-schema <file>`,
    );
  }
  return inputs;
}

function besideSchema(file: string): string {
  return path.join(path.dirname(file), `${path.basename(file).replace(DATA_FILE, "")}${SCHEMA_SUFFIX}`);
}

async function readSchema(role: string, file: string) {
  try {
    return JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new CliError(
      `--${role}: cannot read schema mapping ${file}: ${(error as Error).message}`,
      `pass --${role}-schema <file>, or run \`idbridge prepare\` which writes <table>${SCHEMA_SUFFIX}`,
    );
  }
}
