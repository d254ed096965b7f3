import type { FileHandle } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { DuckDBInstance } from "@duckdb/node-api";
import { type ChunkFailure, processCsvChunk } from "./chunk-processor.ts";
import { csvChunks, RecordTooLongError } from "./csv/chunker.ts";
import { PrepareError } from "./errors.ts";
import { encodeRowGroup } from "./parquet/column-chunk.ts";
import type { ParquetFileWriter } from "./parquet/parquet-file-writer.ts";
import {
  type ChunkStats,
  columnEncodings,
  mergeStats,
  RaggedRowError,
  RowTransformer,
  type TransformPlan,
} from "./row-transformer.ts";
import { CsvWorkerPool } from "./worker-pool.ts";

const CHUNK_BYTES = 2 * 1024 * 1024;
/** Below this size the thread start-up costs more than it saves. */
const INLINE_BYTES = 16 * 1024 * 1024;
const PARQUET_ROW_GROUP = 65_536;

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
  // The main thread processes chunks too whenever every worker is busy, so one core needs no worker
  // (each costs ~0.6 s of CPU to start) and the work begins before the workers are up.
  const threads = workers ?? (size < INLINE_BYTES ? 0 : Math.min(availableParallelism() - 1, 7));
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
  let rowBase = 2;
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
    // Chunks shrink towards the end of the file (down to a quarter of their size) so that the threads
    // finish together: no thread waits long on another's last big chunk.
    const threadsInAll = threads + 1;
    const chunkAt = (position: number) =>
      Math.max(chunkBytes >> 2, Math.min(chunkBytes, Math.floor((size - position) / (2 * threadsInAll))));
    for await (const bytes of csvChunks(file, dataStart, chunkAt, undefined, takeInput)) {
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

/** Parquet rows (every column read as text) → the same transformer, in row groups of 64k rows. */
export async function streamParquet(
  path: string,
  fileName: string,
  plan: TransformPlan,
  target: StreamTarget,
): Promise<void> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const result = await connection.stream("SELECT COLUMNS(*)::VARCHAR FROM read_parquet($1)", [path]);
    let transformer = new RowTransformer(plan);
    let row = 0;
    const flush = async () => {
      transformer.finish();
      await target.writer.write(encodeRowGroup(transformer.columns, columnEncodings(plan)));
      mergeStats(target.stats, transformer.stats);
      target.onChunk(0);
      transformer = new RowTransformer(plan);
    };
    for await (const chunk of result) {
      const columns = chunk.getColumns() as Array<Array<string | null>>;
      const count = chunk.rowCount;
      const fields: Array<string | null> = new Array(columns.length);
      for (let r = 0; r < count; r++) {
        for (let c = 0; c < columns.length; c++) fields[c] = columns[c]![r] ?? null;
        row++;
        try {
          transformer.push(fields, row);
        } catch (error) {
          if (error instanceof RaggedRowError) throw failureError(fileName, { type: "ragged", ...error });
          throw error;
        }
      }
      if (transformer.stats.rowsIn >= PARQUET_ROW_GROUP) await flush();
    }
    await flush();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
