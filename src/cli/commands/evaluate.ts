import type { Command } from "commander";
import { CliError } from "../cli-error.ts";

interface EvaluateFlags {
  mapping: string;
  truth: string;
  rules?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command("evaluate")
    .description("Score an ID mapping against ground truth: precision, recall, F1, match rate, per rule.")
    .requiredOption("--mapping <file>", "mapping Parquet written by `idbridge match`")
    .requiredOption("--truth <file>", "CSV with source_id,target_id (empty target_id: not in the graph)")
    .option("--rules <file>", "rules JSON: with clean_keys in the truth, also report the recall bound")
    .option("--json", "print the figures as JSON on stdout")
    .addHelpText(
      "after",
      "\nExample:\n  idbridge evaluate --mapping out/mapping.parquet --truth synth/truth.csv",
    )
    .action(async (flags: EvaluateFlags) => {
      const { evaluate } = await import("../../evaluate/index.ts");
      const rules = flags.rules ? (await readRules(flags.rules)).rules : undefined;
      const result = await evaluate({ mapping: flags.mapping, truth: flags.truth, rules }).catch(
        (error: Error) => {
          throw new CliError(error.message, "check the --mapping and --truth paths and columns");
        },
      );
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
      const n = (x: number) => x.toLocaleString("en-US");
      const rows: Array<[string, string]> = [
        ["source records", n(result.sourceRecords)],
        ["  in the target (truth)", n(result.sourceRecordsInTarget)],
        ["mapped", n(result.mappedSourceRecords)],
        ["match rate", pct(result.matchRate)],
        ["precision", pct(result.precision)],
        ["recall", pct(result.recall)],
        ...(result.recallBound !== undefined
          ? ([["  recall bound", pct(result.recallBound)]] as Array<[string, string]>)
          : []),
        ["F1", pct(result.f1)],
        ["true / false positives", `${n(result.truePositives)} / ${n(result.falsePositives)}`],
        ["false negatives", n(result.falseNegatives)],
      ];
      const width = Math.max(...rows.map(([k]) => k.length));
      const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
      if (result.perRule.length > 0) {
        const ruleWidth = Math.max(4, ...result.perRule.map((r) => r.ruleName.length));
        lines.push("", `${"rule".padEnd(ruleWidth)}  ${"mapped".padStart(10)}  ${"precision".padStart(9)}`);
        for (const r of result.perRule) {
          lines.push(
            `${r.ruleName.padEnd(ruleWidth)}  ${n(r.mapped).padStart(10)}  ${pct(r.precision).padStart(9)}`,
          );
        }
      }
      if (result.unknownSourceRecords > 0)
        lines.push("", `note: ${n(result.unknownSourceRecords)} mapped sources are not in the truth`);
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}

export async function readRules(file: string) {
  const { readFile } = await import("node:fs/promises");
  const { parseRuleSet, MatchValidationError } = await import("../../match/index.ts");
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new CliError(
      `cannot read rules ${file}: ${(error as Error).message}`,
      "print a valid one with `idbridge rules default`",
    );
  }
  // Accept a bare ruleBasedProperties or a workflow-like wrapper around it.
  const wrapped = json as { ruleBasedProperties?: unknown };
  try {
    return parseRuleSet(
      wrapped && typeof wrapped === "object" && wrapped.ruleBasedProperties
        ? wrapped.ruleBasedProperties
        : json,
    );
  } catch (error) {
    if (error instanceof MatchValidationError)
      throw new CliError(`${file}: ${error.message}`, "see `idbridge rules default` for the shape");
    throw error;
  }
}
