import { spawnSync } from "node:child_process";
import { closeSync, constants, openSync } from "node:fs";
import { type FileHandle, open, stat } from "node:fs/promises";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { setting } from "../../config.ts";
import { csvChunks } from "../2-chunks/chunker.ts";
import { CHUNK_BYTES, defaultThreads, streamChunks } from "../3-workers/chunk-stream.ts";
import { PrepareError } from "../errors.ts";
import type { ChunkStreamOptions, StreamTarget, TransformPlan } from "../types.ts";

/** The column names of a Parquet file. */
export async function parquetHeader(path: string, fileName: string): Promise<string[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const described = await connection.runAndReadAll("DESCRIBE SELECT * FROM read_parquet($1)", [path]);
    return described.getRows().map((row) => String(row[0]));
  } catch (error) {
    throw new PrepareError(
      `${fileName}: not a readable Parquet file (${(error as Error).message.split("\n")[0]})`,
      "export it again as Parquet, or as CSV with a .csv name",
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Parquet rows → the CSV path: DuckDB writes the rows as CSV (every value as text) into a named pipe in
 * `scratchDir`, read in chunks through the same byte scanner, fast paths and worker threads as a CSV
 * file — nothing lands on disk. Where no pipe can be made, DuckDB renders each row as one CSV line that
 * is read back as a string (slower, same output).
 */
export async function streamParquet(
  path: string,
  fileName: string,
  plan: TransformPlan,
  target: StreamTarget,
  scratchDir: string,
  workers?: number,
  chunkBytes = CHUNK_BYTES,
): Promise<void> {
  // One DuckDB thread: it keeps pace with the two that process the rows, and with more it reads ahead of
  // the pipe and holds the rows in memory (RSS grew with the file: 365 → 970 MiB from 250k to 3M rows;
  // with one thread 278 → 326 MiB, and no slower).
  const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
  const connection = await instance.connect();
  try {
    // A Parquet file holds about a third of its rows' CSV size.
    const { size } = await stat(path);
    const options = {
      fileName,
      delimiter: ",",
      plan,
      target,
      threads: workers ?? defaultThreads(3 * size),
      chunkBytes,
    };
    const pipe = makePipe(join(scratchDir, "rows.csv"));
    if (pipe) await streamParquetThroughPipe(connection, path, pipe, options);
    else await streamChunks(() => parquetLines(connection, path, chunkBytes), { ...options, firstRow: 1 });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

type Connection = Awaited<ReturnType<DuckDBInstance["connect"]>>;

function makePipe(path: string): string | null {
  if (process.platform === "win32" || setting("noPipe")) return null;
  const made = spawnSync("mkfifo", ["-m", "600", path], { stdio: "ignore" });
  return made.status === 0 ? path : null;
}

async function streamParquetThroughPipe(
  connection: Connection,
  path: string,
  pipe: string,
  options: Omit<ChunkStreamOptions, "firstRow">,
): Promise<void> {
  const copy = connection.run(
    `COPY (SELECT COLUMNS(*)::VARCHAR FROM read_parquet($1)) TO '${pipe.replaceAll("'", "''")}' (FORMAT csv, HEADER false, DELIMITER ',', QUOTE '"', ESCAPE '"')`,
    [path],
  );
  // Opening a pipe waits for the other end: should DuckDB fail before it opens its end, open one for it
  // (and close it) so that this side sees the end of the data instead of waiting forever.
  const settled = copy.then(
    () => undefined,
    () => releasePipe(pipe, constants.O_WRONLY),
  );
  let file: FileHandle | undefined;
  try {
    file = await open(pipe, "r");
    const reader = file;
    await streamChunks((takeInput) => csvChunks(reader, 0, options.chunkBytes, undefined, takeInput, true), {
      ...options,
      firstRow: 1,
    });
  } finally {
    await file?.close();
    // Reading stopped early (bad data, a crash of ours): let DuckDB's blocked open or write end.
    if (!file) releasePipe(pipe, constants.O_RDONLY);
    await settled;
  }
  // A file that breaks half-way ends the data early: only DuckDB's answer tells.
  await copy;
}

function releasePipe(pipe: string, mode: number): void {
  try {
    closeSync(openSync(pipe, mode | constants.O_NONBLOCK));
  } catch {
    // nobody on the other end (any more): nothing to release
  }
}

/** The fallback: each row as one CSV line from DuckDB, gathered into chunks. */
async function* parquetLines(
  connection: Connection,
  path: string,
  chunkBytes: number,
): AsyncGenerator<Buffer> {
  const described = await connection.runAndReadAll("DESCRIBE SELECT * FROM read_parquet($1)", [path]);
  const names = described.getRows().map((row) => String(row[0]));
  // NULL → an empty field; anything else → its text, quoted, "" for a quote inside.
  const field = (name: string) =>
    `coalesce('"' || replace(CAST("${name.replaceAll('"', '""')}" AS VARCHAR), '"', '""') || '"', '')`;
  const result = await connection.stream(
    `SELECT ${names.map(field).join(" || ',' || ")} AS line FROM read_parquet($1)`,
    [path],
  );
  let lines: string[] = [];
  let length = 0;
  for await (const chunk of result) {
    for (const line of chunk.getColumns()[0] as string[]) {
      lines.push(line);
      length += line.length + 1;
    }
    if (length >= chunkBytes) {
      yield Buffer.from(`${lines.join("\n")}\n`);
      lines = [];
      length = 0;
    }
  }
  if (lines.length > 0) yield Buffer.from(`${lines.join("\n")}\n`);
}
