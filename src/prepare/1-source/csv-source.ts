import type { FileHandle } from "node:fs/promises";
import { csvChunks } from "../2-chunks/chunker.ts";
import { CHUNK_BYTES, defaultThreads, streamChunks } from "../3-workers/chunk-stream.ts";
import type { StreamTarget, TransformPlan } from "../types.ts";

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
