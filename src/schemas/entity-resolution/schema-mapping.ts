import type { z } from "zod";
import {
  SchemaMappingProps as Generated,
  SchemaAttributeType,
  SchemaMappingFacts,
} from "../aws/generated/entity-resolution-schema-mapping.ts";
import { resourceTypeOf } from "../resource-type-of.ts";

/** AWS::EntityResolution::SchemaMapping: generated from AWS's CloudFormation resource schema (src/schemas/aws/cfn-schemas.json). */
export const SchemaMappingProps = Generated;
export type SchemaMappingProps = z.infer<typeof SchemaMappingProps>;

export const SchemaMappingResource = resourceTypeOf(SchemaMappingProps, SchemaMappingFacts);

/** The attribute types AWS::EntityResolution::SchemaMapping accepts (fewer than ER's API: no IPV4, IPV6, MAID). */
export const CfnSchemaAttributeType = SchemaAttributeType;
