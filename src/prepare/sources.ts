import { spawnSync } from "node:child_process";
import { closeSync, constants, openSync } from "node:fs";
import { type FileHandle, open, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { setting } from "../config.ts";
import { type ChunkFailure, processCsvChunk } from "./chunk-processor.ts";
import { csvChunks, RecordTooLongError } from "./csv/chunker.ts";
import { PrepareError } from "./errors.ts";
import type { ParquetFileWriter } from "./parquet/parquet-file-writer.ts";
import { type ChunkStats, mergeStats, type TransformPlan } from "./row-transformer.ts";
import { CsvWorkerPool } from "./worker-pool.ts";

const CHUNK_BYTES = 2 * 1024 * 1024;
/** Below this size the thread start-up costs more than it saves. */
const INLINE_BYTES = 16 * 1024 * 1024;

export interface StreamTarget {
  writer: ParquetFileWriter;
  stats: ChunkStats;
  onChunk: (bytes: number) => void;
}

/** `rowBase` is the file row number of the chunk's first record (the header is row 1). */
export function failureError(file: string, relative: ChunkFailure, rowBase = 0): PrepareError {
  const failure = { ...relative, row: rowBase + relative.row };
  switch (failure.type) {
    case "ragged":
      return new PrepareError(
        `${file}: row ${failure.row} has ${failure.actual} fields but the header has ${failure.expected} (the header is row 1)`,
        "quote fields that contain the delimiter or a newline, or fix that row's delimiters",
      );
    case "invalid-utf-8":
      return new PrepareError(
        `${file}: row ${failure.row} is not valid UTF-8`,
        "re-export the file as UTF-8 (e.g. iconv -f WINDOWS-1252 -t UTF-8 in.csv > out.csv)",
      );
    case "unterminated-quote":
      return new PrepareError(
        `${file}: row ${failure.row} opens a quoted field that never closes`,
        'close the quote, or double quotes inside quoted fields ("")',
      );
  }
}

/** CSV records → Parquet row groups, in file order, on worker threads for big files. */
export async function streamCsv(
  file: FileHandle,
  fileName: string,
  size: number,
  dataStart: number,
  delimiter: string,
  plan: TransformPlan,
  target: StreamTarget,
  workers?: number,
  chunkBytes = CHUNK_BYTES,
): Promise<void> {
  const threads = workers ?? defaultThreads(size);
  // Chunks shrink towards the end of the file (down to a quarter of their size) so that the threads
  // finish together: no thread waits long on another's last big chunk.
  const chunkAt = (position: number) =>
    Math.max(chunkBytes >> 2, Math.min(chunkBytes, Math.floor((size - position) / (2 * (threads + 1)))));
  await streamChunks((takeInput) => csvChunks(file, dataStart, chunkAt, undefined, takeInput), {
    fileName,
    delimiter,
    plan,
    target,
    threads,
    chunkBytes,
    firstRow: 2,
  });
}

// The main thread processes chunks too whenever every worker is busy, so one core needs no worker and
// the work begins before the workers are up.
function defaultThreads(csvBytes: number): number {
  return csvBytes < INLINE_BYTES ? 0 : Math.min(availableParallelism() - 1, 7);
}

interface ChunkStreamOptions {
  fileName: string;
  delimiter: string;
  plan: TransformPlan;
  target: StreamTarget;
  threads: number;
  chunkBytes: number;
  /** The row number of the first record (2 for a CSV file: its header is row 1). */
  firstRow: number;
}

/**
 * CSV chunks (each ending on a record boundary) → Parquet row groups, written in order. `source` reads
 * into the buffers `takeInput` hands back when it has one large enough.
 */
async function streamChunks(
  source: (takeInput: (bytes: number) => Buffer | undefined) => AsyncIterable<Buffer>,
  { fileName, delimiter, plan, target, threads, chunkBytes, firstRow }: ChunkStreamOptions,
): Promise<void> {
  // Chunk and row-group memory is reused: fresh multi-MB buffers cost page faults and munmap.
  const spareInputs: ArrayBuffer[] = [];
  const spareOutputs: ArrayBuffer[] = [];
  const returnInput = (memory: ArrayBuffer) => {
    if (spareInputs.length < threads + 2) spareInputs.push(memory);
  };
  const takeInput = (bytes: number) => {
    const fits = spareInputs.findIndex((memory) => memory.byteLength >= bytes);
    return fits === -1 ? undefined : Buffer.from(spareInputs.splice(fits, 1)[0]!);
  };
  const pool = threads > 0 ? await CsvWorkerPool.start(threads, plan, returnInput, chunkBytes) : null;
  const inFlight: Array<{
    bytes: number;
    outcome: ReturnType<typeof processCsvChunk> | Promise<ReturnType<typeof processCsvChunk>>;
    ready: boolean;
  }> = [];
  const track = (bytes: number, outcome: Promise<ReturnType<typeof processCsvChunk>>) => {
    const entry = { bytes, outcome, ready: false };
    outcome.then(
      () => {
        entry.ready = true;
      },
      () => {
        entry.ready = true;
      },
    );
    inFlight.push(entry);
  };
  const writes: Array<Promise<void>> = [];
  // Row numbers: records are counted by the chunks themselves; results settle in file order.
  let rowBase = firstRow;
  const settleOne = async () => {
    const next = inFlight.shift()!;
    const outcome = await next.outcome;
    if (!outcome.ok) throw failureError(fileName, outcome.failure, rowBase);
    // The write overlaps with the next chunks' work; its buffer is reused once the bytes are out.
    const group = outcome.group;
    const written = target.writer.write(group).then(() => {
      if (!pool?.recycle(group.buffer) && spareOutputs.length < 2)
        spareOutputs.push(group.buffer.buffer as ArrayBuffer);
    });
    writes.push(written);
    while (writes.length > 3) await writes.shift();
    mergeStats(target.stats, outcome.stats, rowBase);
    rowBase += outcome.records;
    target.onChunk(next.bytes);
  };
  try {
    for await (const bytes of source(takeInput)) {
      const job = { bytes, delimiter };
      const toWorker = pool?.hasRoom() ?? false;
      const length = bytes.length;
      if (toWorker) track(length, pool!.run(job));
      else {
        inFlight.push({ bytes: length, outcome: processCsvChunk(plan, job, spareOutputs), ready: true });
        returnInput(bytes.buffer as ArrayBuffer);
      }
      // Write what is done, in order, without waiting on a busy worker: the main thread would rather
      // process the next chunk itself. Block only when too much is pending.
      while (inFlight[0]?.ready) await settleOne();
      while (inFlight.length > (pool ? 3 * threads + 4 : 0)) await settleOne();
    }
    while (inFlight.length > 0) await settleOne();
    await Promise.all(writes);
  } catch (error) {
    if (error instanceof RecordTooLongError) {
      throw new PrepareError(
        `${fileName}: a record after row ${rowBase - 1} does not end within 64 MB — probably a quote that never closes`,
        "check the quoting after that row",
      );
    }
    throw error;
  } finally {
    // Settle what is still running so no worker writes into a closed port, then stop the threads.
    await Promise.allSettled([...inFlight.map((f) => f.outcome), ...writes]);
    await pool?.close();
  }
}

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
