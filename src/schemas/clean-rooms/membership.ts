import type { z } from "zod";
import { MembershipProps as Generated, MembershipFacts } from "../aws/generated/clean-rooms-membership.ts";
import { resourceTypeOf } from "../resource-type-of.ts";

/** AWS::CleanRooms::Membership: generated from AWS's CloudFormation resource schema (src/schemas/aws/cfn-schemas.json). */
export const MembershipProps = Generated;
export type MembershipProps = z.infer<typeof MembershipProps>;

export const MembershipResource = resourceTypeOf(MembershipProps, MembershipFacts);
