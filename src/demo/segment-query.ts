import { DuckDBInstance } from "@duckdb/node-api";

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const reader = (file: string) => (/\.(csv|tsv|txt)$/i.test(file) ? "read_csv_auto" : "read_parquet");

export interface SegmentQueryInput {
  /** The ID mapping table's rows: Parquet with source_id, target_id, match_rule. */
  mappingFile: string;
  /** The prepared CRM table (its unique ids). */
  sourceFile: string;
  sourceIdColumn: string;
  /** The Amazon-side identity graph (its user ids). */
  targetFile: string;
  targetIdColumn: string;
  seed: number;
}

/** The AMC-style query the demo shows; names follow AMC's (dsp_impressions, conversions, user_id). */
export const SEGMENT_SQL = `-- conversions by CRM segment, through the ID mapping table
WITH crm AS (
  SELECT c.segment, c.source_id, m.target_id AS user_id
  FROM crm_segments c
  LEFT JOIN crm_id_mapping m ON m.source_id = c.source_id
),
reach AS (SELECT user_id, COUNT(*) AS impressions FROM dsp_impressions GROUP BY user_id),
conv AS (SELECT user_id, COUNT(*) AS conversions FROM conversions GROUP BY user_id)
SELECT crm.segment,
       COUNT(*)::INTEGER AS crm_customers,
       COUNT(crm.user_id)::INTEGER AS matched,
       COUNT(reach.user_id)::INTEGER AS reached,
       COALESCE(SUM(conv.conversions), 0)::INTEGER AS conversions,
       ROUND(COALESCE(SUM(conv.conversions), 0) / NULLIF(COUNT(reach.user_id), 0), 3)::DOUBLE
         AS conversions_per_reached
FROM crm
LEFT JOIN reach ON reach.user_id = crm.user_id
LEFT JOIN conv ON conv.user_id = crm.user_id
GROUP BY crm.segment
ORDER BY crm.segment`;

/**
 * Runs the example query on DuckDB in memory: loads the mapping, gives each CRM id a synthetic
 * segment, generates ad events for the Amazon-side ids (deterministic from the seed), and joins.
 */
export async function runSegmentQuery(input: SegmentQueryInput) {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await connection.run(
      `CREATE TABLE crm_id_mapping AS SELECT CAST(source_id AS VARCHAR) AS source_id, CAST(target_id AS VARCHAR) AS target_id, CAST(match_rule AS VARCHAR) AS match_rule FROM read_parquet($1)`,
      [input.mappingFile],
    );
    await connection.run(
      `CREATE TABLE crm_segments AS
       SELECT source_id, ['new', 'active', 'loyal', 'lapsed'][1 + (hash(source_id, $2::BIGINT) % 4)::INTEGER] AS segment
       FROM (SELECT DISTINCT CAST(${quoteIdent(input.sourceIdColumn)} AS VARCHAR) AS source_id FROM ${reader(input.sourceFile)}($1))`,
      [input.sourceFile, input.seed],
    );
    await connection.run(
      `CREATE TABLE amazon_users AS SELECT DISTINCT CAST(${quoteIdent(input.targetIdColumn)} AS VARCHAR) AS user_id FROM ${reader(input.targetFile)}($1)`,
      [input.targetFile],
    );
    // 0–5 impressions per user; conversion odds rise with impressions (so the query has a story to tell).
    await connection.run(
      `CREATE TABLE dsp_impressions AS
       SELECT user_id, i AS impression_no FROM amazon_users, range((hash(user_id, $1::BIGINT) % 6)::BIGINT) r(i)`,
      [input.seed],
    );
    await connection.run(
      `CREATE TABLE conversions AS
       SELECT user_id FROM amazon_users
       WHERE hash(user_id, $1::BIGINT + 1) % 100 < 2 + 4 * (hash(user_id, $1::BIGINT) % 6)`,
      [input.seed],
    );
    const result = await connection.runAndReadAll(SEGMENT_SQL);
    const columns = result.columnNames();
    const rows = result
      .getRowsJson()
      .map((row) => row.map((cell) => (typeof cell === "number" ? cell : String(cell))));
    return { title: "Conversions by CRM segment (AMC-style SQL on DuckDB)", sql: SEGMENT_SQL, columns, rows };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
