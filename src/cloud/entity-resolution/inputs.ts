import { AwsError, accessDenied, validation } from "../aws-error.ts";
import type { CloudDeps } from "../deps.ts";
import { parseGlueTableArn, splitS3Uri } from "../kit/arns.ts";
import { ER_TABLES, type ExternalTableRecord } from "./records.ts";

export const ER_PRINCIPAL = "entityresolution.amazonaws.com";

/** File kinds ER reads from a Glue table's location; everything else there (markers, logs) is skipped. */
const DATA_FILE = /\.(csv|parquet)(\.gz)?$/i;

export interface ResolvedTable {
  tableArn: string;
  /** s3://bucket/prefix of the table, absent for tables outside this cloud's S3. */
  location?: string;
  files: string[];
  /** What a caller may be told each file is (its s3:// URI, or the table): the files are internal paths. */
  publicNames: Map<string, string>;
  columns: string[];
}

async function glueTable(deps: CloudDeps, tableArn: string) {
  const parsed = parseGlueTableArn(tableArn);
  if (!parsed)
    throw validation(
      `inputSourceARN ${tableArn} is not a Glue table ARN (arn:aws:glue:<region>:<account>:table/<database>/<table>)`,
    );
  try {
    return { parsed, table: await deps.glue.getTable(parsed.database, parsed.table) };
  } catch (error) {
    if (error instanceof AwsError && error.code === "EntityNotFoundException") {
      throw validation(`Glue table ${parsed.database}.${parsed.table} (${tableArn}) does not exist`);
    }
    throw error;
  }
}

function tableLocation(tableArn: string, location: string | undefined) {
  const s3 = location ? splitS3Uri(location) : undefined;
  if (!location || !s3) {
    throw validation(
      `Glue table ${tableArn} has no S3 location (StorageDescriptor.Location must be s3://bucket/prefix/)`,
    );
  }
  return { location, bucket: s3.bucket, prefix: s3.key };
}

/**
 * The checks ER makes before it accepts a role for an input: the role trusts ER and may read the
 * Glue table and the S3 objects under its location. AccessDeniedException says what is missing.
 */
export async function assertRoleCanReadTable(
  deps: CloudDeps,
  roleArn: string,
  tableArn: string,
): Promise<void> {
  if (deps.store.get<ExternalTableRecord>(ER_TABLES.externalTables, tableArn)) return;
  const { parsed, table } = await glueTable(deps, tableArn);
  const { bucket, prefix } = tableLocation(tableArn, table.StorageDescriptor?.Location);
  const databaseArn = `arn:aws:glue:${parsed.region}:${parsed.accountId}:database/${parsed.database}`;
  try {
    await deps.iam.assertRoleAllows(
      roleArn,
      ER_PRINCIPAL,
      ["glue:GetDatabase", "glue:GetTable"],
      [databaseArn, tableArn],
    );
    await deps.iam.assertRoleAllows(roleArn, ER_PRINCIPAL, ["s3:ListBucket"], [`arn:aws:s3:::${bucket}`]);
    await deps.iam.assertRoleAllows(
      roleArn,
      ER_PRINCIPAL,
      ["s3:GetObject"],
      [`arn:aws:s3:::${bucket}/${prefix}*`],
    );
  } catch (error) {
    if (error instanceof AwsError && error.code === "AccessDeniedException") {
      throw accessDenied(
        `Entity Resolution cannot read input source ${tableArn} with role ${roleArn}: ${error.message}`,
      );
    }
    throw error;
  }
}

/** The role may write the job's output under outputS3Path. */
export async function assertRoleCanWrite(
  deps: CloudDeps,
  roleArn: string,
  outputS3Path: string,
): Promise<void> {
  const s3 = splitS3Uri(outputS3Path);
  if (!s3) throw validation(`outputS3Path ${outputS3Path} must be an s3://bucket/prefix path`);
  try {
    await deps.iam.assertRoleAllows(
      roleArn,
      ER_PRINCIPAL,
      ["s3:PutObject"],
      [`arn:aws:s3:::${s3.bucket}/${s3.key.replace(/\/?$/, "/")}*`],
    );
  } catch (error) {
    if (error instanceof AwsError && error.code === "AccessDeniedException") {
      throw accessDenied(
        `Entity Resolution cannot write the output to ${outputS3Path} with role ${roleArn}: ${error.message}`,
      );
    }
    throw error;
  }
}

/** The data files and columns behind a Glue table ARN, as a job reads them. */
export async function resolveTable(deps: CloudDeps, tableArn: string): Promise<ResolvedTable> {
  const external = deps.store.get<ExternalTableRecord>(ER_TABLES.externalTables, tableArn);
  if (external) {
    if (external.files.length === 0) throw validation(`The input table ${tableArn} has no data yet`);
    const publicNames = new Map(
      external.files.map((file, index) => [file, `Glue table ${tableArn} file ${index + 1}`]),
    );
    return { tableArn, files: [...external.files], publicNames, columns: [...external.columns] };
  }
  const { table } = await glueTable(deps, tableArn);
  const { location } = tableLocation(tableArn, table.StorageDescriptor?.Location);
  const objects = (await deps.s3.listObjectsWithFiles(location))
    .filter((object) => DATA_FILE.test(object.file))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const files = objects.map((object) => object.file);
  if (files.length === 0) {
    throw validation(
      `Glue table ${tableArn} has no CSV or Parquet files under ${location} (object keys must end in .csv or .parquet)`,
    );
  }
  const columns = (table.StorageDescriptor?.Columns ?? []).map((column) => column.Name);
  const publicNames = new Map(objects.map((object) => [object.file, object.s3Uri]));
  return { tableArn, location, files, publicNames, columns };
}
