import type { z } from "zod";
import { IdNamespaceAssociationResource } from "../../../schemas/clean-rooms/id-namespace-association.ts";
import { defineResource } from "../../resource.ts";

/**
 * AWS::CleanRooms::IdNamespaceAssociation properties (CloudFormation names). MembershipIdentifier
 * and InputReferenceConfig are create-only; Name, Description, IdMappingConfig and Tags updatable.
 *
 * InputReferenceConfig is `{ InputReferenceArn, ManageResourcePolicies }`, InputReferenceArn being
 * the Entity Resolution ID namespace's ARN — not the `{ referenceArn }` of Alchemy's docs.
 */
export type IdNamespaceAssociationProps = z.input<typeof IdNamespaceAssociationResource.props>;

export interface IdNamespaceAssociation extends IdNamespaceAssociationProps {
  readonly IdNamespaceAssociationIdentifier: string;
  readonly Arn: string;
  readonly MembershipArn: string;
  readonly CollaborationIdentifier: string;
  readonly CollaborationArn: string;
  readonly InputReferenceProperties: {
    IdNamespaceType: "SOURCE" | "TARGET";
    IdMappingWorkflowsSupported?: unknown[];
  };
}

/**
 * Associates an Entity Resolution ID namespace with your Clean Rooms membership (Amazon Ads' AMC guide "Bring
 * identity data into the collaboration instance", step 5);
 * at most 10 per membership. AMC then offers it for an ID mapping table (`idbridge amc namespaces`).
 *
 * @example
 * const association = await AWS.CleanRooms.IdNamespaceAssociation("crm-association", {
 *   MembershipIdentifier: "3f0c…-uuid-of-your-amc-membership",
 *   Name: "crm",
 *   InputReferenceConfig: {
 *     InputReferenceArn: namespace.IdNamespaceArn,
 *     ManageResourcePolicies: true,
 *   },
 * });
 */
export const IdNamespaceAssociation = defineResource<IdNamespaceAssociationProps, IdNamespaceAssociation>(
  IdNamespaceAssociationResource,
);
