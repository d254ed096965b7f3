import type { z } from "zod";
import {
  CollaborationFacts,
  CollaborationProps as Generated,
} from "../aws/generated/clean-rooms-collaboration.ts";
import { resourceTypeOf } from "../resource-type-of.ts";

/** AWS::CleanRooms::Collaboration: generated from AWS's CloudFormation resource schema (src/schemas/aws/cfn-schemas.json). */
export const CollaborationProps = Generated;
export type CollaborationProps = z.infer<typeof CollaborationProps>;

export const CollaborationResource = resourceTypeOf(CollaborationProps, CollaborationFacts);
