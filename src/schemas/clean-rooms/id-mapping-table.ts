import type { z } from "zod";
import {
  IdMappingTableProps as Generated,
  IdMappingTableFacts,
} from "../aws/generated/clean-rooms-id-mapping-table.ts";
import { inputReferenceConfigHint, withHint } from "../hints.ts";
import { resourceTypeOf } from "../resource-type-of.ts";

/** AWS::CleanRooms::IdMappingTable: generated from AWS's CloudFormation resource schema (src/schemas/aws/cfn-schemas.json). */
export const IdMappingTableProps = Generated.extend({
  InputReferenceConfig: withHint(
    Generated.shape.InputReferenceConfig,
    inputReferenceConfigHint("Entity Resolution ID mapping workflow"),
  ),
});
export type IdMappingTableProps = z.infer<typeof IdMappingTableProps>;

export const IdMappingTableResource = resourceTypeOf(IdMappingTableProps, IdMappingTableFacts);
