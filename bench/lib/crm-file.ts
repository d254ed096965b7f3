import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sharedScript, WORK } from "./paths.ts";

/** The deterministic CRM-like CSV of `rows` rows from ../shared/bench/make-crm.mjs, generated once. */
export function crmFile(rows: number): string {
  const path = join(WORK, `crm-${rows}.csv`);
  if (existsSync(path) && statSync(path).size > 0) return path;
  const generator = sharedScript("make-crm.mjs");
  if (!generator) throw new Error("../shared/bench/make-crm.mjs not found (set IDBRIDGE_SHARED_BENCH)");
  mkdirSync(WORK, { recursive: true });
  const made = spawnSync(process.execPath, [generator, String(rows), path], { stdio: "inherit" });
  if (made.status !== 0) throw new Error(`make-crm.mjs failed with status ${made.status}`);
  return path;
}

export const BENCH_ROWS = 1_000_000;

/**
 * The same rows with their order reversed: the ids descend, so prepare cannot prove them unique from their
 * order and counts them with DuckDB — the cost on a file not ordered by id.
 */
export function reversedCrmFile(rows: number): string {
  const path = join(WORK, `crm-${rows}-reversed.csv`);
  if (existsSync(path) && statSync(path).size > 0) return path;
  const [header, ...lines] = readFileSync(crmFile(rows), "latin1").trimEnd().split("\n");
  lines.reverse();
  writeFileSync(`${path}.tmp`, `${header}\n${lines.join("\n")}\n`, "latin1");
  renameSync(`${path}.tmp`, path);
  return path;
}

/** The same rows as Parquet (every column text), written once with DuckDB. */
export async function crmParquetFile(rows: number): Promise<string> {
  const path = join(WORK, `crm-${rows}.parquet`);
  if (existsSync(path) && statSync(path).size > 0) return path;
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await connection.run(
      `COPY (SELECT * FROM read_csv($1, all_varchar = true)) TO '${path}.tmp' (FORMAT parquet)`,
      [crmFile(rows)],
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  renameSync(`${path}.tmp`, path);
  return path;
}
