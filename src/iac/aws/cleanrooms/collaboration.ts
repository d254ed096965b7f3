import type { z } from "zod";
import { CollaborationResource } from "../../../schemas/clean-rooms/collaboration.ts";
import { defineResource } from "../../resource.ts";

/**
 * AWS::CleanRooms::Collaboration properties (CloudFormation names). The creator's abilities,
 * members, payment and log settings are create-only; Name, Description and Tags are updatable.
 */
export type CollaborationProps = z.input<typeof CollaborationResource.props>;

export interface Collaboration extends CollaborationProps {
  /** The collaboration's UUID. */
  readonly CollaborationIdentifier: string;
  readonly Arn: string;
}

/**
 * A Clean Rooms collaboration. AMC creates yours for a collaboration instance; declare one to try
 * the route without AMC, or to build your own clean room.
 *
 * @example
 * const collaboration = await AWS.CleanRooms.Collaboration("sandbox", {
 *   Name: "identity sandbox",
 *   Description: "try the ID mapping route",
 *   CreatorDisplayName: "advertiser",
 *   CreatorMemberAbilities: ["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
 *   QueryLogStatus: "DISABLED",
 * });
 */
export const Collaboration = defineResource<CollaborationProps, Collaboration>(CollaborationResource);
