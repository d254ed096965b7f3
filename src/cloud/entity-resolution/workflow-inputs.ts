import type { IdMappingRuleBasedProperties } from "../../schemas/entity-resolution-api.ts";
import { validation } from "../aws-error.ts";
import type { CloudDeps } from "../deps.ts";
import { parseGlueTableArn } from "../kit/arns.ts";
import { parseErArn } from "./arns.ts";
import { getIdNamespaceByArn, namespaceRules } from "./id-namespaces.ts";
import type { IdMappingWorkflowRecord, IdNamespaceRecord, SchemaMappingRecord } from "./records.ts";
import { getSchemaMapping } from "./schema-mappings.ts";

/** One Glue table a workflow reads, on its side, with the schema mapping and role it is read with. */
export interface WorkflowTable {
  side: "SOURCE" | "TARGET";
  tableArn: string;
  schema: SchemaMappingRecord;
  roleArn?: string;
  /** The namespace the table came through, if any. */
  namespace?: IdNamespaceRecord;
}

type WorkflowShape = Pick<IdMappingWorkflowRecord, "inputSourceConfig" | "idMappingTechniques" | "roleArn">;

/**
 * Expands a workflow's input sources into the tables behind them: a Glue table input is read with
 * the workflow's schema mapping and role; an ID namespace input (possibly another account's, as
 * the AMC TARGET namespace is) with the namespace's own schema mappings and role.
 */
export function expandWorkflowInputs(
  deps: CloudDeps,
  accountId: string,
  workflow: WorkflowShape,
): WorkflowTable[] {
  const tables: WorkflowTable[] = [];
  for (const [index, source] of workflow.inputSourceConfig.entries()) {
    const field = `inputSourceConfig[${index}]`;
    if (parseGlueTableArn(source.inputSourceARN)) {
      if (!source.schemaName)
        throw validation(`${field}.schemaName is required for a Glue table input source`);
      const schema = getSchemaMapping(deps, accountId, source.schemaName);
      if (!schema)
        throw validation(`${field}.schemaName: the schema mapping ${source.schemaName} does not exist`);
      tables.push({
        side: source.type ?? "SOURCE",
        tableArn: source.inputSourceARN,
        schema,
        ...(workflow.roleArn ? { roleArn: workflow.roleArn } : {}),
      });
      continue;
    }
    const namespaceArn = parseErArn(source.inputSourceARN, "idnamespace");
    if (!namespaceArn)
      throw validation(`${field}.inputSourceARN must be a Glue table ARN or an ID namespace ARN`);
    const namespace = getIdNamespaceByArn(deps, source.inputSourceARN);
    if (!namespace) throw validation(`${field}: the ID namespace ${source.inputSourceARN} does not exist`);
    if (source.type && source.type !== namespace.type) {
      throw validation(
        `${field}.type is ${source.type} but the ID namespace ${namespace.idNamespaceName} is of type ${namespace.type}`,
      );
    }
    for (const input of namespace.inputSourceConfig ?? []) {
      if (!parseGlueTableArn(input.inputSourceARN) || !input.schemaName) continue;
      const schema = getSchemaMapping(deps, namespaceArn.accountId, input.schemaName);
      if (!schema) {
        throw validation(
          `the schema mapping ${input.schemaName} of ID namespace ${namespace.idNamespaceName} does not exist`,
        );
      }
      tables.push({
        side: namespace.type,
        tableArn: input.inputSourceARN,
        schema,
        ...(namespace.roleArn ? { roleArn: namespace.roleArn } : {}),
        namespace,
      });
    }
  }
  for (const side of ["SOURCE", "TARGET"] as const) {
    if (!tables.some((table) => table.side === side)) {
      throw validation(
        `inputSourceConfig has no ${side} input with data: an ID mapping workflow maps SOURCE records to TARGET records`,
      );
    }
  }
  return tables;
}

/**
 * The rule set a job runs: the workflow's own rules, or, when it has none, those of the ID
 * namespace on the side named by ruleDefinitionType (e.g. the AMC TARGET namespace defines them).
 */
export function effectiveRules(
  deps: CloudDeps,
  accountId: string,
  workflow: WorkflowShape,
  tables = expandWorkflowInputs(deps, accountId, workflow),
): IdMappingRuleBasedProperties {
  const technique = workflow.idMappingTechniques;
  if (technique.idMappingType !== "RULE_BASED") {
    throw validation(
      "idMappingTechniques.idMappingType PROVIDER is not available in the local cloud; use RULE_BASED",
    );
  }
  const properties = technique.ruleBasedProperties;
  if (!properties)
    throw validation("idMappingTechniques.ruleBasedProperties is required for RULE_BASED ID mapping");
  // ER: a namespace lists the rule definition types it can be mapped with; the workflow's must be one.
  for (const table of tables) {
    const offered = table.namespace ? namespaceRules(table.namespace) : undefined;
    if (!offered) continue;
    const name = table.namespace!.idNamespaceName;
    if (offered.ruleDefinitionTypes && !offered.ruleDefinitionTypes.includes(properties.ruleDefinitionType)) {
      throw validation(
        `ruleDefinitionType ${properties.ruleDefinitionType} is not compatible with ID namespace ${name}, which accepts ${offered.ruleDefinitionTypes.join(", ")}`,
      );
    }
  }
  let rules = properties.rules;
  if (!rules || rules.length === 0) {
    const owner = tables.find((table) => table.side === properties.ruleDefinitionType && table.namespace);
    rules = owner?.namespace ? namespaceRules(owner.namespace)?.rules : undefined;
  }
  if (!rules || rules.length === 0) {
    throw validation(
      `idMappingTechniques.ruleBasedProperties.rules is required: no ${properties.ruleDefinitionType} ID namespace input defines rules`,
    );
  }
  const keys = (side: "SOURCE" | "TARGET") =>
    new Set(
      tables
        .filter((table) => table.side === side)
        .flatMap((table) =>
          table.schema.mappedInputFields.map((field) => field.matchKey).filter((k) => k !== undefined),
        ),
    );
  const sourceKeys = keys("SOURCE");
  const targetKeys = keys("TARGET");
  for (const [index, rule] of rules.entries()) {
    for (const key of rule.matchingKeys) {
      if (!sourceKeys.has(key) && !targetKeys.has(key)) {
        throw validation(
          `rules[${index}] (${rule.ruleName}): matching key ${key} is not a matchKey of any input's schema mapping`,
        );
      }
    }
  }
  return {
    rules: rules.map((rule) => ({ ruleName: rule.ruleName, matchingKeys: [...rule.matchingKeys] })),
    ruleDefinitionType: properties.ruleDefinitionType,
    attributeMatchingModel: properties.attributeMatchingModel,
    recordMatchingModel: properties.recordMatchingModel,
  };
}
