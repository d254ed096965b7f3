import type { z } from "zod";
import { IdMappingTableResource } from "../../../schemas/clean-rooms/id-mapping-table.ts";
import { defineResource } from "../../resource.ts";

/**
 * AWS::CleanRooms::IdMappingTable properties (CloudFormation names). MembershipIdentifier, Name and
 * InputReferenceConfig are create-only; Description, KmsKeyArn and Tags updatable.
 *
 * InputReferenceConfig is `{ InputReferenceArn, ManageResourcePolicies }`, both required,
 * InputReferenceArn being an Entity Resolution ID mapping workflow's ARN — not the
 * `{ ReferenceType, ReferenceValues }` of Alchemy's docs.
 */
export type IdMappingTableProps = z.input<typeof IdMappingTableResource.props>;

export interface IdMappingTable extends IdMappingTableProps {
  readonly IdMappingTableIdentifier: string;
  readonly Arn: string;
  readonly MembershipArn: string;
  readonly CollaborationIdentifier: string;
  readonly CollaborationArn: string;
  readonly InputReferenceProperties: {
    IdMappingTableInputSource: Array<{ IdNamespaceAssociationId: string; Type: "SOURCE" | "TARGET" }>;
  };
}

/**
 * A Clean Rooms ID mapping table over an ID mapping workflow; at most 5 per membership. On the AMC
 * route AMC creates it through its API (`idbridge amc tables create`); declare it yourself when you
 * run the workflow in your own collaboration.
 *
 * @example
 * const table = await AWS.CleanRooms.IdMappingTable("crm-mapping", {
 *   MembershipIdentifier: membership.MembershipIdentifier,
 *   Name: "crm_mapping",
 *   InputReferenceConfig: { InputReferenceArn: workflow.WorkflowArn, ManageResourcePolicies: true },
 * });
 */
export const IdMappingTable = defineResource<IdMappingTableProps, IdMappingTable>(IdMappingTableResource);
