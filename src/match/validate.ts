import type { IdMappingRuleBasedProperties } from "../schemas/entity-resolution-api.ts";
import { MatchValidationError } from "./errors.ts";
import { planInput, planSide, ruleCombinationCount, ruleVariants, type SidePlan } from "./plan.ts";
import { parseRuleSet, parseSchemaMapping } from "./rules.ts";
import type { MatchInput, RunIdMappingOptions } from "./types.ts";

export interface ValidatedMapping {
  rules: IdMappingRuleBasedProperties;
  source: SidePlan;
  target: SidePlan;
}

// At most 20 input sources (Glue tables) per ID namespace: Amazon Ads' AMC guide "Bring identity data into
// the collaboration instance", step 4.
const MAX_INPUTS_PER_SIDE = 20;
// A rule whose keys fan out into more field combinations than this is almost surely a schema mistake
// (dozens of fields under one matchKey) and would multiply the join work by as much.
const MAX_COMBINATIONS_PER_RULE = 256;

/**
 * Checks rules, schema mappings and inputs the way ER does before it starts a job, and returns the
 * plan the engine runs. Throws MatchValidationError naming the rule, key, input or field at fault.
 */
export function validateIdMapping(
  options: Pick<RunIdMappingOptions, "sources" | "targets" | "rules">,
): ValidatedMapping {
  const rules = parseRuleSet(options.rules);
  const source = planSide("source", validateInputs("source", options.sources));
  const target = planSide("target", validateInputs("target", options.targets));
  const keysOf = (side: SidePlan) => new Set([...side.slots.values()].map((s) => s.matchKey));
  const sourceKeys = keysOf(source);
  const targetKeys = keysOf(target);
  rules.rules!.forEach((rule, i) => {
    rule.matchingKeys.forEach((key, j) => {
      for (const [role, keys] of [
        ["source", sourceKeys],
        ["target", targetKeys],
      ] as const) {
        if (keys.has(key)) continue;
        const nearly = [...keys].find((k) => k.toLowerCase() === key.toLowerCase());
        throw new MatchValidationError(
          `rule '${rule.ruleName}': matching key '${key}' is not a matchKey of the ${role} schema mapping` +
            (nearly
              ? ` (matchKeys are case-sensitive: did you mean '${nearly}'?)`
              : ` (${role} matchKeys: ${[...keys].join(", ")})`),
          `rules[${i}].matchingKeys[${j}]`,
        );
      }
    });
    const combinations = ruleCombinationCount(
      ruleVariants(rule.matchingKeys, rules.attributeMatchingModel, source, target),
    );
    if (combinations > MAX_COMBINATIONS_PER_RULE) {
      throw new MatchValidationError(
        `rule '${rule.ruleName}': its keys span ${combinations} field combinations (at most ${MAX_COMBINATIONS_PER_RULE}); ` +
          "give fewer fields the same matchKey or use ONE_TO_ONE",
        `rules[${i}]`,
      );
    }
  });
  return { rules, source, target };
}

function validateInputs(role: "source" | "target", inputs: MatchInput[]) {
  if (inputs.length === 0) throw new MatchValidationError(`at least one ${role} input is required`, role);
  if (inputs.length > MAX_INPUTS_PER_SIDE) {
    throw new MatchValidationError(
      `${inputs.length} ${role} inputs: Entity Resolution takes at most ${MAX_INPUTS_PER_SIDE} per side`,
      role,
    );
  }
  const names = new Set<string>();
  return inputs.map((input) => {
    const where = `${role} '${input.name}'`;
    if (names.has(input.name))
      throw new MatchValidationError(`${where}: input name used twice on the ${role} side`, where);
    names.add(input.name);
    if (input.files.length === 0) throw new MatchValidationError(`${where}: no files given`, where);
    return planInput(input.name, input.files, parseSchemaMapping(input.schema, where));
  });
}
