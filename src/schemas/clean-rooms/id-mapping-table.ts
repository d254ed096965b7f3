import type { z } from "zod";
import {
  IdMappingTableProps as Generated,
  IdMappingTableFacts,
} from "../aws/generated/clean-rooms-id-mapping-table.ts";
import { resourceTypeOf } from "../resource-type-of.ts";

/** AWS::CleanRooms::IdMappingTable: generated from AWS's CloudFormation resource schema (src/schemas/aws/cfn-schemas.json). */
export const IdMappingTableProps = Generated;
export type IdMappingTableProps = z.infer<typeof IdMappingTableProps>;

export const IdMappingTableResource = resourceTypeOf(IdMappingTableProps, IdMappingTableFacts);
