import type { z } from "zod";
import { TableProps as Generated, TableFacts, TableInput } from "../aws/generated/glue-table.ts";
import { resourceTypeOf } from "../resource-type-of.ts";

/** AWS::Glue::Table: generated from AWS's CloudFormation resource schema (src/schemas/aws/cfn-schemas.json). */
export const TableProps = Generated;
export type TableProps = z.infer<typeof TableProps>;

export const TableResource = resourceTypeOf(TableProps, TableFacts);

/** AWS::Glue::Table's TableInput (CloudFormation's shape of the Glue API's TableInput). */
export const CfnTableInput = TableInput;
