import { z } from "zod";
import type { ResourceType } from "../resource-type.ts";
import {
  AttributeMatchingModel,
  Description,
  EntityName,
  GlueTableArnPattern,
  IdMappingType,
  IdNamespaceArnPattern,
  IdNamespaceType,
  ProviderServiceArn,
  RecordMatchingModel,
  RoleArn,
  Rule,
  RuleDefinitionType,
  Tags,
} from "./shared.ts";

export const IdNamespaceInputSource = z.strictObject({
  InputSourceARN: z
    .string()
    .refine(
      (arn) => GlueTableArnPattern.test(arn) || IdNamespaceArnPattern.test(arn),
      "must be a Glue table ARN (arn:aws:glue:<region>:<account>:table/<database>/<table>) or an ID namespace ARN",
    ),
  SchemaName: EntityName.optional(),
});

export const NamespaceRuleBasedProperties = z.strictObject({
  Rules: z.array(Rule).min(1).max(25).optional(),
  RuleDefinitionTypes: z.array(RuleDefinitionType).optional(),
  AttributeMatchingModel: AttributeMatchingModel.optional(),
  RecordMatchingModels: z.array(RecordMatchingModel).optional(),
});

export const NamespaceProviderProperties = z.strictObject({
  ProviderServiceArn,
  ProviderConfiguration: z.record(z.string(), z.string()).optional(),
});

export const IdNamespaceIdMappingWorkflowProperties = z.strictObject({
  IdMappingType,
  RuleBasedProperties: NamespaceRuleBasedProperties.optional(),
  ProviderProperties: NamespaceProviderProperties.optional(),
});

/** AWS::EntityResolution::IdNamespace (AWS's CloudFormation resource schema). */
export const IdNamespaceProps = z.strictObject({
  IdNamespaceName: EntityName,
  Description: Description.optional(),
  // Quota: at most 20 input sources (Glue tables) per namespace.
  InputSourceConfig: z.array(IdNamespaceInputSource).max(20).optional(),
  IdMappingWorkflowProperties: z.array(IdNamespaceIdMappingWorkflowProperties).min(1).max(1).optional(),
  Type: IdNamespaceType,
  RoleArn: RoleArn.optional(),
  Tags: Tags.optional(),
});
export type IdNamespaceProps = z.infer<typeof IdNamespaceProps>;

export const IdNamespaceResource: ResourceType<typeof IdNamespaceProps> = {
  typeName: "AWS::EntityResolution::IdNamespace",
  props: IdNamespaceProps,
  readOnly: ["IdNamespaceArn", "CreatedAt", "UpdatedAt"],
  createOnly: ["IdNamespaceName"],
  writeOnly: [],
  primaryIdentifier: ["IdNamespaceName"],
};
