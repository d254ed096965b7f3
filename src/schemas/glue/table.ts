import { z } from "zod";
import type { ResourceType } from "../resource-type.ts";
import { GlueTableInput } from "./shapes.ts";

/** AWS::Glue::Table (AWS's CloudFormation resource schema): TableInput mirrors the Glue API's. */
export const TableProps = z.strictObject({
  CatalogId: z.string().min(1).max(255),
  DatabaseName: z.string().min(1).max(255),
  TableInput: GlueTableInput,
  OpenTableFormatInput: z
    .strictObject({
      IcebergInput: z
        .strictObject({ MetadataOperation: z.literal("CREATE").optional(), Version: z.string().optional() })
        .optional(),
    })
    .optional(),
});
export type TableProps = z.infer<typeof TableProps>;

/**
 * AWS's schema names the read-only Id (the table name) as the only primary identifier, which does
 * not say which database the table is in; the local cloud's identifier is "database|table".
 */
export const TableResource: ResourceType<typeof TableProps> = {
  typeName: "AWS::Glue::Table",
  props: TableProps,
  readOnly: ["Id"],
  createOnly: ["DatabaseName", "CatalogId", "OpenTableFormatInput"],
  writeOnly: [],
  primaryIdentifier: ["DatabaseName", "Id"],
};
