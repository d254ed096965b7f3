import type { z } from "zod";
import {
  IdNamespaceProps as Generated,
  IdNamespaceFacts,
} from "../aws/generated/entity-resolution-id-namespace.ts";
import { resourceTypeOf } from "../resource-type-of.ts";

/** AWS::EntityResolution::IdNamespace: generated from AWS's CloudFormation resource schema (src/schemas/aws/cfn-schemas.json). */
export const IdNamespaceProps = Generated;
export type IdNamespaceProps = z.infer<typeof IdNamespaceProps>;

export const IdNamespaceResource = resourceTypeOf(IdNamespaceProps, IdNamespaceFacts);
