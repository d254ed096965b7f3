import type { z } from "zod";
import { IdMappingWorkflowResource } from "../../../schemas/entity-resolution/id-mapping-workflow.ts";
import { defineResource } from "../../resource.ts";

/** AWS::EntityResolution::IdMappingWorkflow properties (CloudFormation names). WorkflowName is create-only. */
export type IdMappingWorkflowProps = z.input<typeof IdMappingWorkflowResource.props>;

export interface IdMappingWorkflow extends IdMappingWorkflowProps {
  /** arn:aws:entityresolution:<region>:<account>:idmappingworkflow/<WorkflowName> */
  readonly WorkflowArn: string;
  readonly CreatedAt: string;
  readonly UpdatedAt: string;
}

/**
 * An Entity Resolution ID mapping workflow: maps a SOURCE namespace onto a TARGET one with
 * rule-based (waterfall) or provider matching. On the AMC route AMC creates it for you when you
 * create the ID mapping table; declare one yourself to run the same mapping outside AMC.
 *
 * @example
 * const workflow = await AWS.EntityResolution.IdMappingWorkflow("crm-to-amazon", {
 *   WorkflowName: "crm-to-amazon",
 *   InputSourceConfig: [
 *     { InputSourceARN: source.IdNamespaceArn, Type: "SOURCE" },
 *     { InputSourceARN: target.IdNamespaceArn, Type: "TARGET" },
 *   ],
 *   IdMappingTechniques: {
 *     IdMappingType: "RULE_BASED",
 *     RuleBasedProperties: {
 *       Rules: [{ RuleName: "email", MatchingKeys: ["Email"] }],
 *       RuleDefinitionType: "TARGET",
 *       AttributeMatchingModel: "ONE_TO_ONE",
 *       RecordMatchingModel: "ONE_SOURCE_TO_ONE_TARGET",
 *     },
 *   },
 *   RoleArn: role.Arn,
 * });
 */
export const IdMappingWorkflow = defineResource<IdMappingWorkflowProps, IdMappingWorkflow>(
  IdMappingWorkflowResource,
);
