import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";

/** A fresh temp dir for one test, removed afterwards. */
export async function withTempDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "idbridge-prepare-test-"));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function writeCsv(dir: string, name: string, text: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** Rows of a Parquet file as objects, in file order. */
export async function readParquet(path: string): Promise<Array<Record<string, string | null>>> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll("SELECT * FROM read_parquet($1)", [path]);
    return reader.getRowObjects() as Array<Record<string, string | null>>;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Files left in a directory (missing directory = none). */
export async function filesIn(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}
