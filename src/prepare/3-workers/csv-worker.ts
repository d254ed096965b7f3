import { parentPort, workerData } from "node:worker_threads";
import { nativeHashing } from "../6-parquet/sha256-hex-batch.ts";
import type { CsvChunkJob, TransformPlan } from "../types.ts";
import { processCsvChunk } from "./chunk-processor.ts";

const { plan, outputSlots = [] } = workerData as { plan: TransformPlan; outputSlots?: SharedArrayBuffer[] };
const port = parentPort!;

// Row-group buffers the main thread has written and handed back, reused for the next chunks.
const spare: ArrayBuffer[] = [];
// Output slots (memory shared with the main thread, see worker-pool.ts) not holding an unwritten row group.
const freeSlots = outputSlots.map((_, slot) => slot);

// Modules loaded: chunks may come. Whether the native hasher loaded here tells a broken bundle apart.
port.postMessage({ ready: true, nativeHashing });

type Message = (CsvChunkJob & { seq: number }) | { recycle: ArrayBuffer } | { freeSlot: number };

port.on("message", (message: Message) => {
  if ("recycle" in message) {
    if (spare.length < 2) spare.push(message.recycle);
    return;
  }
  if ("freeSlot" in message) {
    freeSlots.push(message.freeSlot);
    return;
  }
  try {
    // A free output slot first: a row group there reaches the main thread without a transfer.
    const offered = [...freeSlots.map((slot) => outputSlots[slot]!), ...spare];
    const outcome = processCsvChunk(plan, message, offered);
    // The input chunk goes back, for the main thread's next read.
    const input = message.bytes.buffer as ArrayBuffer;
    if (!outcome.ok) {
      port.postMessage({ seq: message.seq, outcome, input }, [input]);
      return;
    }
    const memory = outcome.group.buffer.buffer;
    const used = spare.indexOf(memory as ArrayBuffer);
    if (used !== -1) spare.splice(used, 1); // it leaves with this row group
    const slot = outputSlots.indexOf(memory as SharedArrayBuffer);
    if (slot !== -1) {
      freeSlots.splice(freeSlots.indexOf(slot), 1);
      const length = outcome.group.buffer.length;
      const group = { ...outcome.group, buffer: null, slot, length };
      port.postMessage({ seq: message.seq, outcome: { ...outcome, group }, input }, [input]);
      return;
    }
    // encodeRowGroup allocated outside Node's pool: the whole ArrayBuffer is the group's to give away.
    port.postMessage({ seq: message.seq, outcome, input }, [memory as ArrayBuffer, input]);
  } catch (error) {
    port.postMessage({ seq: message.seq, crash: (error as Error).message });
  }
});
