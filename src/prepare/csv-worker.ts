import { parentPort, workerData } from "node:worker_threads";
import { type CsvChunkJob, processCsvChunk } from "./chunk-processor.ts";
import type { TransformPlan } from "./row-transformer.ts";

const plan = (workerData as { plan: TransformPlan }).plan;
const port = parentPort!;

port.on("message", (message: CsvChunkJob & { seq: number }) => {
  try {
    const outcome = processCsvChunk(plan, message);
    // encodeRowGroup allocates outside Node's pool: the whole ArrayBuffer is the group's to give away.
    const transfer = outcome.ok ? [outcome.group.buffer.buffer as ArrayBuffer] : [];
    port.postMessage({ seq: message.seq, outcome }, transfer);
  } catch (error) {
    port.postMessage({ seq: message.seq, crash: (error as Error).message });
  }
});
