import type { z } from "zod";
import { TableResource } from "../../../schemas/glue/table.ts";
import { defineResource } from "../../resource.ts";

/**
 * AWS::Glue::Table properties (CloudFormation names). `idbridge prepare` writes the TableInput to
 * `<table>.glue-table.json`: lowercase column names equal to the file's headers, all strings.
 */
export type TableProps = z.input<typeof TableResource.props>;

export type Table = TableProps & Record<string, unknown>;

/**
 * A Glue table over the prepared Parquet files under an S3 folder (Amazon Ads' AMC guide "Bring identity data
 * into the collaboration instance", step 2).
 *
 * @example
 * const [crm] = readPrepared("prepared");
 * await AWS.Glue.Table("crm-table", {
 *   CatalogId: app.accountId,
 *   DatabaseName: "amc_identity",
 *   TableInput: { ...crm.glue.TableInput, StorageDescriptor: { ...crm.glue.TableInput.StorageDescriptor, Location: "s3://bucket/crm/" } },
 * });
 */
export const Table = defineResource<TableProps, Table>(TableResource);
