import { parentPort, workerData } from "node:worker_threads";
import { type CsvChunkJob, processCsvChunk } from "./chunk-processor.ts";
import type { TransformPlan } from "./row-transformer.ts";

const plan = (workerData as { plan: TransformPlan }).plan;
const port = parentPort!;

port.on("message", (message: CsvChunkJob & { seq: number }) => {
  try {
    const outcome = processCsvChunk(plan, message);
    // Only a buffer that owns its whole ArrayBuffer may be transferred (small ones share Node's pool).
    const buffer = outcome.ok ? outcome.group.buffer : undefined;
    const owns =
      buffer !== undefined && buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength;
    const transfer = owns ? [buffer.buffer as ArrayBuffer] : [];
    port.postMessage({ seq: message.seq, outcome }, transfer);
  } catch (error) {
    port.postMessage({ seq: message.seq, crash: (error as Error).message });
  }
});
