import { z } from "zod";
import type { ResourceType } from "../resource-type.ts";
import { GlueDatabaseInput } from "./shapes.ts";

/** AWS::Glue::Database (AWS's CloudFormation resource schema): DatabaseInput mirrors the Glue API's. */
export const DatabaseProps = z.strictObject({
  /** The AWS account id of the Data Catalog (required by AWS's schema). */
  CatalogId: z.string().min(1).max(255),
  /** Name is optional here when DatabaseName is given. */
  DatabaseInput: GlueDatabaseInput.partial({ Name: true }),
  /** Folded to lowercase; defaults to DatabaseInput.Name. */
  DatabaseName: z.string().min(1).max(255).optional(),
});
export type DatabaseProps = z.infer<typeof DatabaseProps>;

export const DatabaseResource: ResourceType<typeof DatabaseProps> = {
  typeName: "AWS::Glue::Database",
  props: DatabaseProps,
  readOnly: [],
  createOnly: ["DatabaseName", "CatalogId"],
  writeOnly: [],
  primaryIdentifier: ["DatabaseName"],
};
