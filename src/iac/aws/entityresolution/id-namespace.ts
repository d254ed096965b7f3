import type { z } from "zod";
import { IdNamespaceResource } from "../../../schemas/entity-resolution/id-namespace.ts";
import { defineResource } from "../../resource.ts";

/** AWS::EntityResolution::IdNamespace properties (CloudFormation names). IdNamespaceName is create-only. */
export type IdNamespaceProps = z.input<typeof IdNamespaceResource.props>;

export interface IdNamespace extends IdNamespaceProps {
  /** arn:aws:entityresolution:<region>:<account>:idnamespace/<IdNamespaceName> — what the association references. */
  readonly IdNamespaceArn: string;
  readonly CreatedAt: string;
  readonly UpdatedAt: string;
}

/**
 * An Entity Resolution ID namespace. On the AMC route it is a SOURCE namespace over the prepared Glue
 * table, rule-based with rule definitions of type TARGET (Amazon Ads' AMC identity guide, step 4); at most 20
 * input sources.
 *
 * @example
 * const namespace = await AWS.EntityResolution.IdNamespace("crm-source", {
 *   IdNamespaceName: "crm-source",
 *   Type: "SOURCE",
 *   InputSourceConfig: [{ InputSourceARN: table.Arn, SchemaName: mapping.SchemaName }],
 *   IdMappingWorkflowProperties: [
 *     { IdMappingType: "RULE_BASED", RuleBasedProperties: { RuleDefinitionTypes: ["TARGET"] } },
 *   ],
 *   RoleArn: role.Arn,
 * });
 */
export const IdNamespace = defineResource<IdNamespaceProps, IdNamespace>(IdNamespaceResource);
