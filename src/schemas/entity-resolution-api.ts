import { z } from "zod";

/**
 * Entity Resolution API shapes (camelCase, as in the service's API model) shared by prepare
 * (writes *.schema-mapping.json), match (reads schema mappings and rules) and the local cloud's
 * ER service. The CloudFormation shapes (PascalCase) live beside the resource types and convert to these.
 */
export const SchemaAttributeType = z.enum([
  "NAME",
  "NAME_FIRST",
  "NAME_MIDDLE",
  "NAME_LAST",
  "ADDRESS",
  "ADDRESS_STREET1",
  "ADDRESS_STREET2",
  "ADDRESS_STREET3",
  "ADDRESS_CITY",
  "ADDRESS_STATE",
  "ADDRESS_COUNTRY",
  "ADDRESS_POSTALCODE",
  "PHONE",
  "PHONE_NUMBER",
  "PHONE_COUNTRYCODE",
  "EMAIL_ADDRESS",
  "UNIQUE_ID",
  "DATE",
  "STRING",
  "PROVIDER_ID",
  "IPV4",
  "IPV6",
  "MAID",
]);
export type SchemaAttributeType = z.infer<typeof SchemaAttributeType>;

const attributeName = z
  .string()
  .min(0)
  .max(255)
  .regex(/^[a-zA-Z_0-9- \t]*$/, "may contain only letters, digits, '_', '-', space and tab");

export const SchemaInputAttribute = z.strictObject({
  fieldName: attributeName,
  type: SchemaAttributeType,
  groupName: attributeName.optional(),
  matchKey: attributeName.optional(),
  subType: z.string().optional(),
  hashed: z.boolean().optional(),
});
export type SchemaInputAttribute = z.infer<typeof SchemaInputAttribute>;

/** The CreateSchemaMapping request body (what `<table>.schema-mapping.json` holds). */
export const CreateSchemaMappingInput = z.strictObject({
  schemaName: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[a-zA-Z_0-9-]*$/),
  description: z.string().max(255).optional(),
  mappedInputFields: z.array(SchemaInputAttribute).min(2).max(35),
  tags: z.record(z.string(), z.string()).optional(),
});
export type CreateSchemaMappingInput = z.infer<typeof CreateSchemaMappingInput>;

export const Rule = z.strictObject({
  ruleName: z
    .string()
    .min(0)
    .max(255)
    .regex(/^[a-zA-Z_0-9- \t]*$/),
  // botocore entityresolution RuleMatchingKeysList: at most 15 (its min is 0; a rule without keys would
  // match every pair, so one key is required here).
  matchingKeys: z.array(z.string().max(255)).min(1).max(15),
});
export type Rule = z.infer<typeof Rule>;

export const RuleBasedProperties = z.strictObject({
  // botocore entityresolution RuleBasedPropertiesRulesList: 1–25 rules.
  rules: z.array(Rule).min(1).max(25),
  attributeMatchingModel: z.enum(["ONE_TO_ONE", "MANY_TO_MANY"]),
  matchPurpose: z.enum(["IDENTIFIER_GENERATION", "INDEXING"]).optional(),
});

/** IdMappingRuleBasedProperties of an ID mapping workflow. */
export const IdMappingRuleBasedProperties = z.strictObject({
  rules: z.array(Rule).min(1).max(25).optional(),
  ruleDefinitionType: z.enum(["SOURCE", "TARGET"]),
  attributeMatchingModel: z.enum(["ONE_TO_ONE", "MANY_TO_MANY"]),
  recordMatchingModel: z.enum(["ONE_SOURCE_TO_ONE_TARGET", "MANY_SOURCE_TO_ONE_TARGET"]),
});
export type IdMappingRuleBasedProperties = z.infer<typeof IdMappingRuleBasedProperties>;

export const IdMappingJobMetrics = z.object({
  inputRecords: z.number().int(),
  totalRecordsProcessed: z.number().int(),
  recordsNotProcessed: z.number().int(),
  totalMappedRecords: z.number().int(),
  totalMappedSourceRecords: z.number().int(),
  totalMappedTargetRecords: z.number().int(),
  uniqueRecordsLoaded: z.number().int(),
});
export type IdMappingJobMetrics = z.infer<typeof IdMappingJobMetrics>;

// ID namespaces and ID mapping workflows (API shapes, camelCase). Added for the local cloud's ER service.

export const IdNamespaceType = z.enum(["SOURCE", "TARGET"]);

const entityName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[a-zA-Z_0-9-]*$/, "may contain only letters, digits, '_' and '-'");

const roleArn = z
  .string()
  .min(32)
  .max(512)
  .regex(
    /^arn:(aws|aws-us-gov|aws-cn):iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/,
    "must be an IAM role ARN",
  );

const tagMap = z.record(z.string().min(1).max(128), z.string().max(256));

export const NamespaceRuleBasedProperties = z.object({
  rules: z.array(Rule).min(1).max(25).optional(),
  ruleDefinitionTypes: z.array(z.enum(["SOURCE", "TARGET"])).optional(),
  attributeMatchingModel: z.enum(["ONE_TO_ONE", "MANY_TO_MANY"]).optional(),
  recordMatchingModels: z.array(z.enum(["ONE_SOURCE_TO_ONE_TARGET", "MANY_SOURCE_TO_ONE_TARGET"])).optional(),
});
export type NamespaceRuleBasedProperties = z.infer<typeof NamespaceRuleBasedProperties>;

export const IdNamespaceIdMappingWorkflowProperties = z.object({
  idMappingType: z.enum(["RULE_BASED", "PROVIDER"]),
  ruleBasedProperties: NamespaceRuleBasedProperties.optional(),
  providerProperties: z
    .object({ providerServiceArn: z.string(), providerConfiguration: z.unknown().optional() })
    .optional(),
});

export const IdNamespaceInputSource = z.object({
  inputSourceARN: z.string().min(20).max(2048),
  schemaName: entityName.optional(),
});
export type IdNamespaceInputSource = z.infer<typeof IdNamespaceInputSource>;

export const CreateIdNamespaceInput = z.object({
  idNamespaceName: entityName,
  description: z.string().max(255).optional(),
  // Quota: at most 20 input sources per namespace.
  inputSourceConfig: z.array(IdNamespaceInputSource).max(20).optional(),
  idMappingWorkflowProperties: z.array(IdNamespaceIdMappingWorkflowProperties).min(1).max(1).optional(),
  type: IdNamespaceType,
  roleArn: roleArn.optional(),
  tags: tagMap.optional(),
});
export type CreateIdNamespaceInput = z.infer<typeof CreateIdNamespaceInput>;

export const IdMappingWorkflowInputSource = z.object({
  inputSourceARN: z.string().min(20).max(2048),
  schemaName: entityName.optional(),
  type: IdNamespaceType.optional(),
});
export type IdMappingWorkflowInputSource = z.infer<typeof IdMappingWorkflowInputSource>;

export const IdMappingWorkflowOutputSource = z.object({
  outputS3Path: z.string().regex(/^s3:\/\/([^/]+)\/?(.*?([^/]+)\/?)$/, "must be an s3://bucket/prefix path"),
  KMSArn: z.string().optional(),
});

export const IdMappingTechniques = z.object({
  idMappingType: z.enum(["RULE_BASED", "PROVIDER"]),
  ruleBasedProperties: IdMappingRuleBasedProperties.optional(),
  providerProperties: z.unknown().optional(),
});
export type IdMappingTechniques = z.infer<typeof IdMappingTechniques>;

export const CreateIdMappingWorkflowInput = z.object({
  workflowName: entityName,
  description: z.string().max(255).optional(),
  inputSourceConfig: z.array(IdMappingWorkflowInputSource).min(1).max(20),
  outputSourceConfig: z.array(IdMappingWorkflowOutputSource).min(1).max(1).optional(),
  idMappingTechniques: IdMappingTechniques,
  incrementalRunConfig: z.object({ incrementalRunType: z.enum(["ON_DEMAND"]).optional() }).optional(),
  roleArn: roleArn.optional(),
  tags: tagMap.optional(),
});
export type CreateIdMappingWorkflowInput = z.infer<typeof CreateIdMappingWorkflowInput>;
