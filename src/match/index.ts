// ER's rule-based ID mapping (the job AMC starts when it creates an ID mapping table), on DuckDB.
import { MatchEngine } from "./MatchEngine.ts";
import type { IdMappingResult, RunIdMappingOptions } from "./types.ts";

export { MatchValidationError } from "./errors.ts";
export { countIdSummary, type IdSummary, idSummaryOption, verifiedIdSummary } from "./id-summary.ts";
export { MatchEngine, type MatchEngineOptions } from "./MatchEngine.ts";
export { defaultRules, defaultRulesFor, parseRuleSet, parseSchemaMapping } from "./rules.ts";
export type { IdMappingResult, MatchInput, MatchProgress, RunIdMappingOptions } from "./types.ts";
export { type ValidatedMapping, validateIdMapping } from "./validate.ts";

/** Runs one ID mapping job on a fresh engine: validate, load both sides, match, write the mapping. */
export async function runIdMapping(options: RunIdMappingOptions): Promise<IdMappingResult> {
  const engine = await MatchEngine.create({ threads: options.threads, memoryLimit: options.memoryLimit });
  try {
    return await engine.run(options);
  } finally {
    engine.close();
  }
}
