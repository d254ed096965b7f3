import type { z } from "zod";
import {
  IdNamespaceAssociationProps as Generated,
  IdNamespaceAssociationFacts,
} from "../aws/generated/clean-rooms-id-namespace-association.ts";
import { inputReferenceConfigHint, withHint } from "../hints.ts";
import { resourceTypeOf } from "../resource-type-of.ts";

/** AWS::CleanRooms::IdNamespaceAssociation: generated from AWS's CloudFormation resource schema (src/schemas/aws/cfn-schemas.json). */
export const IdNamespaceAssociationProps = Generated.extend({
  InputReferenceConfig: withHint(
    Generated.shape.InputReferenceConfig,
    inputReferenceConfigHint("Entity Resolution ID namespace"),
  ),
});
export type IdNamespaceAssociationProps = z.infer<typeof IdNamespaceAssociationProps>;

export const IdNamespaceAssociationResource = resourceTypeOf(
  IdNamespaceAssociationProps,
  IdNamespaceAssociationFacts,
);
