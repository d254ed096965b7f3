import type { z } from "zod";
import { MembershipResource } from "../../../schemas/clean-rooms/membership.ts";
import { defineResource } from "../../resource.ts";

/** AWS::CleanRooms::Membership properties (CloudFormation names). CollaborationIdentifier is create-only. */
export type MembershipProps = z.input<typeof MembershipResource.props>;

export interface Membership extends MembershipProps {
  /** The membership's UUID: what IdNamespaceAssociation and IdMappingTable take as MembershipIdentifier. */
  readonly MembershipIdentifier: string;
  readonly Arn: string;
  readonly CollaborationArn: string;
  readonly CollaborationCreatorAccountId: string;
}

/**
 * Your membership in a Clean Rooms collaboration. In AMC the membership exists once you accept the
 * collaboration: reference its id (from `idbridge amc collaboration`, or the console) instead of
 * declaring one, or adopt it.
 *
 * @example
 * const membership = await AWS.CleanRooms.Membership("me", {
 *   CollaborationIdentifier: collaboration.CollaborationIdentifier,
 *   QueryLogStatus: "DISABLED",
 * });
 */
export const Membership = defineResource<MembershipProps, Membership>(MembershipResource);
