import { z } from "zod";
import type { ResourceType } from "../resource-type.ts";
import { Description, EntityName, SchemaInputAttribute, Tags } from "./shared.ts";

/** AWS::EntityResolution::SchemaMapping (AWS's CloudFormation resource schema). */
export const SchemaMappingProps = z.strictObject({
  SchemaName: EntityName,
  Description: Description.optional(),
  // The resource schema allows 2–25 fields (one UNIQUE_ID + 24 identity columns on the AMC route).
  MappedInputFields: z.array(SchemaInputAttribute).min(2).max(25),
  Tags: Tags.optional(),
});
export type SchemaMappingProps = z.infer<typeof SchemaMappingProps>;

export const SchemaMappingResource: ResourceType<typeof SchemaMappingProps> = {
  typeName: "AWS::EntityResolution::SchemaMapping",
  props: SchemaMappingProps,
  readOnly: ["SchemaArn", "CreatedAt", "UpdatedAt"],
  createOnly: ["SchemaName", "Description", "MappedInputFields"],
  writeOnly: [],
  primaryIdentifier: ["SchemaName"],
};
