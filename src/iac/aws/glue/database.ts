import type { z } from "zod";
import { DatabaseResource } from "../../../schemas/glue/database.ts";
import { defineResource } from "../../resource.ts";

/** AWS::Glue::Database properties (CloudFormation names). CatalogId is your account id. */
export type DatabaseProps = z.input<typeof DatabaseResource.props>;

export interface Database extends DatabaseProps {
  readonly DatabaseName: string;
}

/**
 * A Glue database for the identity tables (Amazon Ads' AMC guide "Bring identity data into the collaboration
 * instance", step 2).
 *
 * @example
 * const database = await AWS.Glue.Database("identity-database", {
 *   CatalogId: app.accountId,
 *   DatabaseInput: { Name: "amc_identity" },
 * });
 */
export const Database = defineResource<DatabaseProps, Database>(DatabaseResource);
