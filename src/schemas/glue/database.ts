import type { z } from "zod";
import { DatabaseFacts, DatabaseProps as Generated } from "../aws/generated/glue-database.ts";
import { resourceTypeOf } from "../resource-type-of.ts";

/** AWS::Glue::Database: generated from AWS's CloudFormation resource schema (src/schemas/aws/cfn-schemas.json). */
export const DatabaseProps = Generated;
export type DatabaseProps = z.infer<typeof DatabaseProps>;

export const DatabaseResource = resourceTypeOf(DatabaseProps, DatabaseFacts);
