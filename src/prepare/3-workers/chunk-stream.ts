import { availableParallelism } from "node:os";
import { RecordTooLongError } from "../2-chunks/chunker.ts";
import { mergeStats } from "../4-rows/stats.ts";
import { PrepareError } from "../errors.ts";
import type { ChunkFailure, ChunkStreamOptions } from "../types.ts";
import { processCsvChunk } from "./chunk-processor.ts";
import { CsvWorkerPool } from "./worker-pool.ts";

export const CHUNK_BYTES = 2 * 1024 * 1024;
/** Below this size the thread start-up costs more than it saves. */
const INLINE_BYTES = 16 * 1024 * 1024;

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

// The main thread processes chunks too whenever every worker is busy, so one core needs no worker and
// the work begins before the workers are up.
export function defaultThreads(csvBytes: number): number {
  return csvBytes < INLINE_BYTES ? 0 : Math.min(availableParallelism() - 1, 7);
}

/**
 * CSV chunks (each ending on a record boundary) → Parquet row groups, written in order. `source` reads
 * into the buffers `takeInput` hands back when it has one large enough.
 */
export async function streamChunks(
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
