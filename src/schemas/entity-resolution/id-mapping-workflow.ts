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
  MatchingWorkflowArnPattern,
  ProviderServiceArn,
  RecordMatchingModel,
  RoleArn,
  Rule,
  RuleDefinitionType,
  SchemaMappingArnPattern,
  Tags,
} from "./shared.ts";

export const IdMappingWorkflowInputSource = z.strictObject({
  InputSourceARN: z
    .string()
    .refine(
      (arn) =>
        GlueTableArnPattern.test(arn) ||
        IdNamespaceArnPattern.test(arn) ||
        MatchingWorkflowArnPattern.test(arn),
      "must be a Glue table ARN, an ID namespace ARN or a matching workflow ARN",
    ),
  SchemaArn: z.string().regex(SchemaMappingArnPattern, "must be a schema mapping ARN").optional(),
  Type: IdNamespaceType.optional(),
});

export const IdMappingWorkflowOutputSource = z.strictObject({
  OutputS3Path: z.string().regex(/^s3:\/\/([^/]+)\/?(.*?([^/]+)\/?)$/, "must be an s3://bucket/prefix path"),
  KMSArn: z
    .string()
    .regex(/^arn:(aws|aws-us-gov|aws-cn):kms:.*:[0-9]+:.*$/)
    .optional(),
});

export const IdMappingRuleBasedPropertiesCfn = z.strictObject({
  Rules: z.array(Rule).min(1).max(25).optional(),
  RuleDefinitionType: RuleDefinitionType.optional(),
  AttributeMatchingModel,
  RecordMatchingModel,
});

export const IdMappingTechniques = z.strictObject({
  IdMappingType: IdMappingType.optional(),
  RuleBasedProperties: IdMappingRuleBasedPropertiesCfn.optional(),
  ProviderProperties: z
    .strictObject({
      ProviderServiceArn,
      ProviderConfiguration: z.record(z.string(), z.string()).optional(),
      IntermediateSourceConfiguration: z.strictObject({ IntermediateS3Path: z.string() }).optional(),
    })
    .optional(),
});

/** AWS::EntityResolution::IdMappingWorkflow (AWS's CloudFormation resource schema). */
export const IdMappingWorkflowProps = z.strictObject({
  WorkflowName: EntityName,
  Description: Description.optional(),
  InputSourceConfig: z.array(IdMappingWorkflowInputSource).min(1).max(20),
  OutputSourceConfig: z.array(IdMappingWorkflowOutputSource).min(1).max(1).optional(),
  IdMappingTechniques,
  RoleArn,
  Tags: Tags.optional(),
});
export type IdMappingWorkflowProps = z.infer<typeof IdMappingWorkflowProps>;

export const IdMappingWorkflowResource: ResourceType<typeof IdMappingWorkflowProps> = {
  typeName: "AWS::EntityResolution::IdMappingWorkflow",
  props: IdMappingWorkflowProps,
  readOnly: ["WorkflowArn", "CreatedAt", "UpdatedAt"],
  createOnly: ["WorkflowName"],
  writeOnly: [],
  primaryIdentifier: ["WorkflowName"],
};
