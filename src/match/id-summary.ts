import type { DuckDBConnection } from "@duckdb/node-api";
import { quoteIdent, quoteLiteral } from "./sql.ts";

/**
 * The counts of a Parquet file's unique-id column that ER's job metrics need (rows, rows with an id,
 * distinct ids), recorded by the file's writer in its key-value metadata. Counting the distinct ids of a
 * 12M-row file costs ~3 CPU-s; a writer that has the rows at hand records the count once, and the engine
 * trusts it only when a pass over the ids (~0.5 CPU-s) gives the same rows, ids and id checksum.
 */
export interface IdSummary {
  /** The id column the counts are of. */
  column: string;
  rows: number;
  /** Rows whose id is neither NULL nor blank. */
  withId: number;
  /** Distinct non-blank ids. */
  unique: number;
  /** sum(hash(id)) over the non-blank ids (a HUGEINT in decimal): the multiset of ids, not just their number. */
  checksum: string;
}

export const ID_SUMMARY_KEY = "idbridge.id_summary";

/** The id as the engine sees it: text, NULL when blank. */
const idOf = (column: string) =>
  `CASE WHEN CAST(${quoteIdent(column)} AS VARCHAR) <> '' THEN CAST(${quoteIdent(column)} AS VARCHAR) END`;

/** Rows, rows with an id and the id checksum of `from` (a table expression), in one pass. */
function checkQuery(column: string, from: string, distinct: boolean): string {
  return `SELECT count(*), count(id), coalesce(sum(hash(id)), 0)::VARCHAR${distinct ? ", count(DISTINCT id)" : ""}
          FROM (SELECT ${idOf(column)} AS id FROM ${from})`;
}

/** Counts the summary of `from` (e.g. `read_csv($csv)`), for a writer to store with `idSummaryOption`. */
export async function countIdSummary(
  connection: DuckDBConnection,
  column: string,
  from: string,
  params: Record<string, string> = {},
): Promise<IdSummary> {
  const row = (await connection.runAndReadAll(checkQuery(column, from, true), params)).getRowsJS()[0]!;
  return {
    column,
    rows: Number(row[0]),
    withId: Number(row[1]),
    checksum: String(row[2]),
    unique: Number(row[3]),
  };
}

/** The COPY … (FORMAT parquet, …) option that stores a summary in the file's key-value metadata. */
export function idSummaryOption(summary: IdSummary): string {
  return `KV_METADATA {${quoteLiteral(ID_SUMMARY_KEY)}: ${quoteLiteral(JSON.stringify(summary))}}`;
}

/**
 * The recorded summary of one Parquet file's id column, when the file has one for that column and its ids
 * still agree with it; otherwise null (the caller counts).
 */
export async function verifiedIdSummary(
  connection: DuckDBConnection,
  file: string,
  column: string,
): Promise<IdSummary | null> {
  const stored = (
    await connection.runAndReadAll(
      "SELECT decode(value) FROM parquet_kv_metadata($file) WHERE decode(key) = $key",
      { file, key: ID_SUMMARY_KEY },
    )
  ).getRowsJS()[0]?.[0];
  if (typeof stored !== "string") return null;
  let summary: IdSummary;
  try {
    summary = JSON.parse(stored) as IdSummary;
  } catch (error) {
    if (error instanceof SyntaxError) return null; // not ours to read: count instead
    throw error;
  }
  if (summary.column !== column || !Number.isSafeInteger(summary.unique)) return null;
  const row = (
    await connection.runAndReadAll(checkQuery(column, "read_parquet($file)", false), { file })
  ).getRowsJS()[0]!;
  const agrees =
    Number(row[0]) === summary.rows &&
    Number(row[1]) === summary.withId &&
    String(row[2]) === summary.checksum;
  return agrees ? summary : null;
}
