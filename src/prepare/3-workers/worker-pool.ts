import { Worker } from "node:worker_threads";
import type { EncodedRowGroup } from "../6-parquet/column-chunk.ts";
import { csvWorkerEntry } from "../bundles.ts";
import type { ChunkOutcome, CsvChunkJob, TransformPlan } from "../types.ts";

const YOUNG_GENERATION_MB = 96;
/** Output slots per worker: row groups waiting to be written in file order. */
const OUTPUT_SLOTS = 3;

interface Pending {
  resolve: (outcome: ChunkOutcome) => void;
  reject: (error: Error) => void;
}

interface Reply {
  /** Sent once, when the worker has loaded its modules and takes chunks. */
  ready?: true;
  nativeHashing?: boolean;
  seq: number;
  outcome?: ChunkOutcome;
  input?: ArrayBuffer;
  crash?: string;
}

/** worker_threads that each parse, normalize, hash and encode whole CSV chunks. */
export class CsvWorkerPool {
  private readonly workers: Worker[];
  private readonly busy: number[];
  private readonly ready: boolean[];
  /** Per worker, once ready: whether it hashes with the native addon. */
  readonly nativeHashing: boolean[] = [];
  private readonly pending = new Map<number, Pending & { worker: number }>();
  private seq = 0;
  private readonly owners = new WeakMap<ArrayBuffer, number>();
  /**
   * Per worker, memory shared with it for encoded row groups. A transferred ArrayBuffer counts as new
   * external memory in the isolate that receives it, and every few hundred MB of that forces a full
   * garbage collection in both threads; a row group written into a slot crosses without a transfer.
   */
  private readonly outputSlots: SharedArrayBuffer[][];
  private readonly slotOwners = new Map<SharedArrayBuffer, { worker: number; slot: number }>();

  /** Starts `size` workers; `returnInput` receives each chunk's memory once its worker is done with it. */
  static async start(
    size: number,
    plan: TransformPlan,
    returnInput: (memory: ArrayBuffer) => void = () => {},
    chunkBytes = 2 * 1024 * 1024,
  ): Promise<CsvWorkerPool> {
    return new CsvWorkerPool(await csvWorkerEntry(), size, plan, returnInput, chunkBytes);
  }

  private constructor(
    entry: URL,
    size: number,
    plan: TransformPlan,
    private readonly returnInput: (memory: ArrayBuffer) => void,
    chunkBytes: number,
  ) {
    // Hex digests make a row group 2-3 times its CSV; a bigger one falls back to a transfer.
    const slotBytes = Math.max(4 * chunkBytes, 8 * 1024 * 1024);
    this.outputSlots = Array.from({ length: size }, (_, worker) =>
      Array.from({ length: OUTPUT_SLOTS }, (_, slot) => {
        const memory = new SharedArrayBuffer(slotBytes);
        this.slotOwners.set(memory, { worker, slot });
        return memory;
      }),
    );
    // Every row makes short-lived strings; a bigger young generation than V8's default (16 MiB semi-spaces)
    // lets most die in the nursery instead of being copied around: ~10% less CPU per row (bench/prepare.ts).
    const resourceLimits = { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB };
    // Workers inherit the process's flags, but Node refuses --input-type in a worker started from a file
    // (ERR_INPUT_TYPE_NOT_ALLOWED), as when prepare is called from `node --input-type=module -e …`. Only
    // then is execArgv passed, filtered: an explicit list is validated, and Node 24's test runner gives
    // its children per-process flags (--secure-heap, --v8-pool-size, …) a worker refuses, while the
    // inherited default is never checked.
    const execArgv = process.execArgv.some((flag) => flag.startsWith("--input-type"))
      ? process.execArgv.filter((flag) => !flag.startsWith("--input-type"))
      : undefined;
    this.workers = Array.from(
      { length: size },
      (_, worker) =>
        new Worker(entry, {
          workerData: { plan, outputSlots: this.outputSlots[worker] },
          resourceLimits,
          execArgv,
        }),
    );
    this.busy = this.workers.map(() => 0);
    this.ready = this.workers.map(() => false);
    this.workers.forEach((worker, index) => {
      worker.on("message", (reply: Reply) => {
        if (reply.ready) {
          this.ready[index] = true;
          this.nativeHashing[index] = reply.nativeHashing === true;
        } else this.settle(reply);
      });
      worker.on("error", (error) => this.failAll(error));
    });
  }

  run(job: CsvChunkJob): Promise<ChunkOutcome> {
    let index = -1;
    for (let w = 0; w < this.workers.length; w++) {
      if (this.busy[w]! < this.room(w) && (index === -1 || this.busy[w]! < this.busy[index]!)) index = w;
    }
    if (index === -1) throw new Error("no worker has room: check hasRoom() first");
    const seq = this.seq++;
    this.busy[index]!++;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject, worker: index });
      // csvChunks gives each chunk its own ArrayBuffer: move it instead of copying it.
      this.workers[index]!.postMessage({ ...job, seq }, [job.bytes.buffer as ArrayBuffer]);
    });
  }

  /** True while some worker has room for one more chunk (see `room`). */
  hasRoom(): boolean {
    return this.busy.some((queued, index) => queued < this.room(index));
  }

  /**
   * Chunks a worker may hold: two once it is ready (one queued behind the running one keeps it busy), one
   * while it loads its modules (~80 ms from the bundle): it starts on that one the moment it is up, while
   * the main thread works through its own first, cold chunk. More would hold back, in file order,
   * everything the main thread does meanwhile.
   */
  private room(index: number): number {
    return this.ready[index] ? 2 : 1;
  }

  /** Hands a written row group's memory back to the worker that encoded it; false when no worker did. */
  recycle(buffer: Buffer): boolean {
    const shared = this.slotOwners.get(buffer.buffer as SharedArrayBuffer);
    if (shared) {
      this.workers[shared.worker]!.postMessage({ freeSlot: shared.slot });
      return true;
    }
    const memory = buffer.buffer as ArrayBuffer;
    const worker = this.owners.get(memory);
    if (worker === undefined) return false;
    this.owners.delete(memory);
    this.workers[worker]!.postMessage({ recycle: memory }, [memory]);
    return true;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private settle(reply: Reply): void {
    const pending = this.pending.get(reply.seq);
    if (!pending) return;
    this.pending.delete(reply.seq);
    this.busy[pending.worker]!--;
    if (reply.input) this.returnInput(reply.input);
    if (reply.outcome) {
      if (reply.outcome.ok) {
        const group = reply.outcome.group as EncodedRowGroup & { slot?: number; length?: number };
        if (group.slot !== undefined) {
          group.buffer = Buffer.from(this.outputSlots[pending.worker]![group.slot]!, 0, group.length);
        } else {
          // Structured clone turns the Buffer into a plain Uint8Array; give it back its Buffer methods.
          const raw = group.buffer as Uint8Array;
          group.buffer = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
          this.owners.set(raw.buffer as ArrayBuffer, pending.worker);
        }
      }
      pending.resolve(reply.outcome);
    } else pending.reject(new Error(`prepare worker failed: ${reply.crash ?? "unknown error"}`));
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
