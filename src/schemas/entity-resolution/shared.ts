import { z } from "zod";
import { SchemaAttributeType } from "../entity-resolution-api.ts";

/** CloudFormation shapes shared by the AWS::EntityResolution::* resource types (PascalCase). */

export const EntityName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[a-zA-Z_0-9-]*$/, "may contain only letters, digits, '_' and '-'");

export const Description = z.string().max(255);

export const AttributeName = z
  .string()
  .max(255)
  .regex(/^[a-zA-Z_0-9- \t]*$/, "may contain only letters, digits, '_', '-', space and tab");

export const RoleArn = z
  .string()
  .min(32)
  .max(512)
  .regex(
    /^arn:(aws|aws-us-gov|aws-cn):iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/,
    "must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)",
  );

export const GlueTableArnPattern =
  /^arn:(aws|aws-us-gov|aws-cn):glue:[a-z]{2}-[a-z]{1,10}-[0-9]:[0-9]{12}:(table\/[a-zA-Z_0-9-]{1,255}\/[a-zA-Z_0-9-]{1,255})$/;
export const IdNamespaceArnPattern =
  /^arn:(aws|aws-us-gov|aws-cn):entityresolution:[a-z]{2}-[a-z]{1,10}-[0-9]:[0-9]{12}:(idnamespace\/[a-zA-Z_0-9-]{1,255})$/;
export const MatchingWorkflowArnPattern =
  /^arn:(aws|aws-us-gov|aws-cn):entityresolution:[a-z]{2}-[a-z]{1,10}-[0-9]:[0-9]{12}:(matchingworkflow\/[a-zA-Z_0-9-]{1,255})$/;
export const SchemaMappingArnPattern =
  /^arn:(aws|aws-us-gov|aws-cn):entityresolution:.*:[0-9]+:(schemamapping\/.*)$/;
export const IdMappingWorkflowArnPattern =
  /^arn:(aws|aws-us-gov|aws-cn):entityresolution:.*:[0-9]+:(idmappingworkflow\/.*)$/;

export const Tag = z.strictObject({
  Key: z.string().min(1).max(128),
  Value: z.string().max(256),
});
export const Tags = z.array(Tag).max(200);
export type Tags = z.infer<typeof Tags>;

export const Rule = z.strictObject({
  RuleName: AttributeName,
  MatchingKeys: z.array(AttributeName).min(1).max(15),
});

export const RuleDefinitionType = z.enum(["SOURCE", "TARGET"]);
export const AttributeMatchingModel = z.enum(["ONE_TO_ONE", "MANY_TO_MANY"]);
export const RecordMatchingModel = z.enum(["ONE_SOURCE_TO_ONE_TARGET", "MANY_SOURCE_TO_ONE_TARGET"]);
export const IdNamespaceType = z.enum(["SOURCE", "TARGET"]);
export const IdMappingType = z.enum(["PROVIDER", "RULE_BASED"]);

export const ProviderServiceArn = z
  .string()
  .min(20)
  .max(255)
  .regex(
    /^arn:(aws|aws-us-gov|aws-cn):(entityresolution):([a-z]{2}-[a-z]{1,10}-[0-9])::providerservice\/([a-zA-Z0-9_-]{1,255})\/([a-zA-Z0-9_-]{1,255})$/,
  );

export const SchemaInputAttribute = z.strictObject({
  FieldName: AttributeName,
  Type: SchemaAttributeType,
  GroupName: AttributeName.optional(),
  MatchKey: AttributeName.optional(),
  SubType: z.string().optional(),
  Hashed: z.boolean().optional(),
});

/** CloudFormation tag list <-> the API's tag map. */
export { tagsFromMap, tagsToMap } from "../tags.ts";
