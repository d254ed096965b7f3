import type { z } from "zod";
import {
  IdNamespaceAssociationProps as Generated,
  IdNamespaceAssociationFacts,
} from "../aws/generated/clean-rooms-id-namespace-association.ts";
import { resourceTypeOf } from "../resource-type-of.ts";

/** AWS::CleanRooms::IdNamespaceAssociation: generated from AWS's CloudFormation resource schema (src/schemas/aws/cfn-schemas.json). */
export const IdNamespaceAssociationProps = Generated;
export type IdNamespaceAssociationProps = z.infer<typeof IdNamespaceAssociationProps>;

export const IdNamespaceAssociationResource = resourceTypeOf(
  IdNamespaceAssociationProps,
  IdNamespaceAssociationFacts,
);
