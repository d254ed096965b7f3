import { parentPort, workerData } from "node:worker_threads";
import { type CsvChunkJob, processCsvChunk } from "./chunk-processor.ts";
import { nativeHashing } from "./hash/sha256-hex-batch.ts";
import type { TransformPlan } from "./row-transformer.ts";

const plan = (workerData as { plan: TransformPlan }).plan;
const port = parentPort!;

// Row-group buffers the main thread has written and handed back, reused for the next chunks.
const spare: ArrayBuffer[] = [];

// Modules loaded: chunks may come. Whether the native hasher loaded here tells a broken bundle apart.
port.postMessage({ ready: true, nativeHashing });

port.on("message", (message: (CsvChunkJob & { seq: number }) | { recycle: ArrayBuffer }) => {
  if ("recycle" in message) {
    if (spare.length < 2) spare.push(message.recycle);
    return;
  }
  try {
    const outcome = processCsvChunk(plan, message, spare);
    // encodeRowGroup allocates outside Node's pool: the whole ArrayBuffer is the group's to give away.
    // The input chunk goes back too, for the main thread's next read.
    const input = message.bytes.buffer as ArrayBuffer;
    const transfer = outcome.ok ? [outcome.group.buffer.buffer as ArrayBuffer, input] : [input];
    port.postMessage({ seq: message.seq, outcome, input }, transfer);
  } catch (error) {
    port.postMessage({ seq: message.seq, crash: (error as Error).message });
  }
});
