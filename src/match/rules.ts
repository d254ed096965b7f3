import { issuePath } from "../lib/issue-path.ts";
import {
  CreateSchemaMappingInput,
  IdMappingRuleBasedProperties,
  type IdMappingRuleBasedProperties as RuleSet,
} from "../schemas/entity-resolution-api.ts";
import { MatchValidationError } from "./errors.ts";

/**
 * The waterfall an advertiser expects, most precise first. Every rule is exact on SHA-256 of the
 * normalized values, so a rule is only as good as the combination of keys is unique to a person:
 * - email: an email address belongs to one person (the strongest key in Amazon's graph).
 * - phone_first_name: a phone alone is shared by a household (landlines, family plans) and phones
 *   are recycled; the first name separates household members.
 * - name_address_postal: full name at a street address, the classic postal match; the postal code
 *   guards against the same street name in another town.
 * - name_address_city_state: the same person where the postal code is missing or mistyped.
 * Rules on a single name, a household-level key (address, last name + address) or a city are left
 * out: they map a person to a relative, which AMC would count as a false match.
 */
export const defaultRules: RuleSet = {
  ruleDefinitionType: "SOURCE",
  attributeMatchingModel: "MANY_TO_MANY",
  recordMatchingModel: "MANY_SOURCE_TO_ONE_TARGET",
  rules: [
    { ruleName: "email", matchingKeys: ["Email"] },
    { ruleName: "phone_first_name", matchingKeys: ["Phone", "FirstName"] },
    { ruleName: "name_address_postal", matchingKeys: ["FirstName", "LastName", "Address", "Postal"] },
    {
      ruleName: "name_address_city_state",
      matchingKeys: ["FirstName", "LastName", "Address", "City", "State"],
    },
  ],
};

/** The default rules whose keys both sides carry (ER rejects a rule naming an unknown matchKey). */
export function defaultRulesFor(sourceKeys: Set<string>, targetKeys: Set<string>): RuleSet {
  const rules = (defaultRules.rules ?? []).filter((r) =>
    r.matchingKeys.every((k) => sourceKeys.has(k) && targetKeys.has(k)),
  );
  if (rules.length === 0) {
    throw new MatchValidationError(
      "none of the default rules can run: the inputs share none of Email, Phone+FirstName, FirstName+LastName+Address+Postal",
      "rules",
    );
  }
  return { ...defaultRules, rules };
}

/** Parses a rule set the way ER validates ruleBasedProperties; messages name the rule and key. */
export function parseRuleSet(value: unknown): RuleSet {
  const parsed = IdMappingRuleBasedProperties.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issuePath(issue.path);
    throw new MatchValidationError(`rules: ${path || "(root)"}: ${describeIssue(issue)}`, path || "rules");
  }
  const rules = parsed.data.rules;
  if (!rules || rules.length === 0) {
    throw new MatchValidationError("rules: a RULE_BASED ID mapping needs between 1 and 25 rules", "rules");
  }
  const names = new Set<string>();
  rules.forEach((rule, i) => {
    if (rule.ruleName.trim() === "")
      throw new MatchValidationError(`rules[${i}]: ruleName must not be empty`, `rules[${i}].ruleName`);
    if (names.has(rule.ruleName)) {
      throw new MatchValidationError(
        `rules[${i}]: rule name '${rule.ruleName}' is used twice; rule names must be unique`,
        `rules[${i}].ruleName`,
      );
    }
    names.add(rule.ruleName);
    const keys = new Set<string>();
    rule.matchingKeys.forEach((key, j) => {
      if (key.trim() === "") {
        throw new MatchValidationError(
          `rule '${rule.ruleName}': matchingKeys[${j}] is empty`,
          `rules[${i}].matchingKeys[${j}]`,
        );
      }
      if (keys.has(key)) {
        throw new MatchValidationError(
          `rule '${rule.ruleName}': matching key '${key}' is listed twice`,
          `rules[${i}].matchingKeys[${j}]`,
        );
      }
      keys.add(key);
    });
  });
  return parsed.data;
}

function describeIssue(issue: {
  code: string;
  message: string;
  minimum?: unknown;
  maximum?: unknown;
}): string {
  if (issue.code === "too_big" && issue.maximum !== undefined)
    return `too many (at most ${String(issue.maximum)} allowed by Entity Resolution)`;
  if (issue.code === "too_small" && issue.minimum !== undefined)
    return `too few (at least ${String(issue.minimum)} required)`;
  return issue.message;
}

/** Parses a schema mapping and applies the checks ER makes before a job can use it. */
export function parseSchemaMapping(value: unknown, where: string): CreateSchemaMappingInput {
  const parsed = CreateSchemaMappingInput.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issuePath(issue.path);
    throw new MatchValidationError(
      `${where}: schema mapping ${path || "(root)"}: ${describeIssue(issue)}`,
      where,
    );
  }
  const schema = parsed.data;
  const ids = schema.mappedInputFields.filter((f) => f.type === "UNIQUE_ID");
  if (ids.length !== 1) {
    throw new MatchValidationError(
      `${where}: schema mapping '${schema.schemaName}' must have exactly one UNIQUE_ID field (has ${ids.length})`,
      where,
    );
  }
  const seen = new Set<string>();
  const classes = new Map<string, string>();
  for (const f of schema.mappedInputFields) {
    const lower = f.fieldName.toLowerCase();
    if (seen.has(lower))
      throw new MatchValidationError(`${where}: field '${f.fieldName}' is mapped twice`, where);
    seen.add(lower);
    if (f.matchKey && f.type !== "UNIQUE_ID") {
      const kind = `${f.type}`;
      const prior = classes.get(f.matchKey);
      // One matchKey groups fields of one attribute type; PHONE and PHONE_NUMBER (etc.) count as one.
      if (prior && attributeFamily(prior) !== attributeFamily(kind)) {
        throw new MatchValidationError(
          `${where}: matchKey '${f.matchKey}' groups fields of different types (${prior} and ${kind}, field '${f.fieldName}')`,
          where,
        );
      }
      classes.set(f.matchKey, kind);
    }
  }
  if (classes.size === 0) {
    throw new MatchValidationError(
      `${where}: schema mapping '${schema.schemaName}' has no field with a matchKey to match on`,
      where,
    );
  }
  return schema;
}

function attributeFamily(type: string): string {
  if (type.startsWith("PHONE")) return "PHONE";
  if (type === "ADDRESS" || type.startsWith("ADDRESS_STREET")) return "ADDRESS";
  if (type === "NAME" || type === "NAME_FIRST" || type === "NAME_MIDDLE") return "NAME_FIRST";
  return type;
}
