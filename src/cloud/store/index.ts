/**
 * The local cloud's durable store: an in-memory table map, a write-ahead journal and a snapshot.
 *
 * Why this design: the state is small next to the data (resource records, job and request
 * records; S3 object bodies live as files under blobDir), it is read far more often than written
 * (GetResource, polling), and it must survive kill -9 at any instant. So every table lives in
 * memory (reads are Map lookups, no I/O), and durability comes from a journal of whole
 * transactions that is only ever appended to. Each transaction is one frame,
 * [length][crc32][JSON of its writes]; the transaction's promise resolves only after the frame is
 * written and fsync'ed, and memory changes only after that. A crash mid-write leaves a torn last
 * frame whose length or checksum does not match: it is dropped (and truncated away) on open, so a
 * transaction is applied entirely or not at all. Transactions run one at a time, each seeing every
 * write before it; those that queue up while a write is in flight are committed together with one
 * write and one fdatasync (group commit), and the I/O is asynchronous, so reads go on while the
 * disk syncs. Readers never see a write that is not yet durable. If a journal write fails, the
 * store stops accepting writes (fail-stop) rather than let memory and disk disagree; reopening
 * recovers from disk.
 *
 * Compaction never holds up requests: when the journal passes a threshold, it is renamed to
 * journal.<last seq> and a new one started (between two commits, with a directory fsync), the
 * tables' current rows are captured (references to immutable values — no copy of the data), and
 * the snapshot of that capture is written in the background a block at a time (snapshot.ts) while
 * transactions go on into the new journal; once it is synced and renamed into place the rotated
 * journals it covers are deleted. Requests keep the disk first: a block is written only after the
 * commits submitted before it are synced, and the snapshot is synced every 1 MiB as it grows, so a
 * commit's fdatasync never waits behind a backlog of snapshot writes (measured with
 * bench/cloud-store.ts: request p50 during a compaction went from ~10x to ~3x the idle one, and
 * p99 to the idle p99's range). Every frame carries a sequence number; opening replays the
 * rotated journals and the current one in order, skipping frames the snapshot already holds, so a
 * crash at any step of a compaction loses nothing. Opening does not parse the snapshot's values:
 * each is parsed on its first read.
 *
 * Two processes: the home dir is locked exclusively (proper-lockfile plus a pid file); a second
 * opener gets "the local cloud at <home> is in use by process <pid>", and a lock left behind by a
 * dead process is recovered at once. The home is private (0700, files 0600). Why not SQLite: Node
 * 20 has no built-in driver (node:sqlite came with Node 22.5), and a binding means shipping a
 * database engine — the project's own native addon (native/) is optional, a few C functions for
 * prepare's hot loops that fall back to JavaScript without a compiler, while the store must work
 * everywhere; DuckDB is an analytics engine with a heavy open and single-writer file lock of its
 * own, and this workload is key-value. Values are stored as plain JSON and handed out
 * deep-frozen, so no caller can change the state without a transaction.
 */
import {
  closeSync,
  fdatasync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  write,
} from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { fsyncDir } from "../../lib/fsync-dir.ts";
import type { Store, StoreTx } from "../store.ts";
import { lockHome } from "./home-lock.ts";
import { decodeFrames, encodeFrame } from "./journal.ts";
import { makePrivateDir, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "./private-home.ts";
import {
  RawJson,
  readSnapshot,
  type SnapshotTable,
  type SnapshotWriteOptions,
  StoreDamagedError,
  writeSnapshot,
} from "./snapshot.ts";

export { StoreInUseError } from "./home-lock.ts";
export { StoreDamagedError } from "./snapshot.ts";

type Write = ["p", string, string, unknown] | ["d", string, string];
interface Frame {
  seq: number;
  w: Write[];
}
/** The snapshot format before snapshot.ts: one JSON document (still read, replaced on the next compaction). */
interface LegacySnapshot {
  seq: number;
  tables: Record<string, Record<string, unknown>>;
}
interface Pending {
  fn: (tx: StoreTx) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface StoreOptions {
  /** Compact once the journal exceeds this many bytes. @default 16 MiB */
  compactBytes?: number;
  /** Runs between the blocks of a snapshot being written (lets a test hold a compaction half-way). */
  betweenSnapshotBlocks?: () => Promise<void> | void;
  /** A snapshot being written is synced every this many bytes (snapshot.ts says why). @default 1 MiB */
  snapshotSyncBytes?: number;
  /** Called after each of those syncs with the snapshot bytes written so far. */
  onSnapshotSynced?: (bytes: number) => void;
}

const DEFAULT_COMPACT_BYTES = 16 * 1024 * 1024;
const DELETED = Symbol("deleted");
const JOURNAL = "journal";
const SNAPSHOT = "snapshot";
const LEGACY_SNAPSHOT = "snapshot.json";
/** journal.<seq of its last frame>: a journal set aside by a compaction that has not finished. */
const ROTATED_JOURNAL = /^journal\.(\d+)$/;
const SNAPSHOT_TEMP = /^snapshot(\.json)?\.\d+\.tmp$/;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

/** A JSON round trip: what memory holds is exactly what a reopen will read back. */
function toStored<T>(value: T): T {
  if (value === undefined) throw new TypeError("store: cannot put undefined; use delete");
  return deepFreeze(JSON.parse(JSON.stringify(value)) as T);
}

function rowsOf(tables: Map<string, Map<string, unknown>>, table: string): Map<string, unknown> {
  let rows = tables.get(table);
  if (!rows) {
    rows = new Map();
    tables.set(table, rows);
  }
  return rows;
}

const writeAsync = promisify(write);
const fdatasyncAsync = promisify(fdatasync);

async function writeAllAsync(fd: number, buf: Buffer): Promise<void> {
  let written = 0;
  while (written < buf.length) written += (await writeAsync(fd, buf, written)).bytesWritten;
}

async function fsyncDirAsync(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** The rotated journals in `dir`, oldest first, with the last sequence number each holds. */
function rotatedJournals(dir: string): Array<{ name: string; lastSeq: number }> {
  return readdirSync(dir)
    .map((name) => ({ name, match: ROTATED_JOURNAL.exec(name) }))
    .filter(({ match }) => match)
    .map(({ name, match }) => ({ name, lastSeq: Number(match![1]) }))
    .sort((a, b) => a.lastSeq - b.lastSeq);
}

/** The rows of every table at one sequence number, for a snapshot written in the background. */
interface Capture {
  seq: number;
  tables: SnapshotTable[];
}

class JournalStore implements Store {
  private readonly tables = new Map<string, Map<string, unknown>>();
  private readonly sortedKeys = new Map<string, string[]>();
  private readonly queue: Pending[] = [];
  private flushing = false;
  /** Uncommitted writes visible to reads made from inside a running transaction (own first). */
  private layers: Array<Map<string, Map<string, unknown>>> = [];
  private failure: Error | undefined;
  private closed = false;
  private seq = 0;
  private journalFd = -1;
  private journalBytes = 0;
  /** Transactions submitted, and those settled (committed or failed), since the store opened. */
  private submitted = 0;
  private settled = 0;
  /** Snapshot writes waiting until every transaction submitted before them has settled. */
  private snapshotWaits: Array<{ after: number; resume: () => void }> = [];
  /** The snapshot being written in the background, if any. */
  private compaction: Promise<void> | undefined;

  constructor(
    private readonly home: string,
    private readonly dir: string,
    private readonly compactBytes: number,
    private readonly snapshotWrite: SnapshotWriteOptions,
    private readonly unlock: () => Promise<void>,
  ) {}

  /** Loads the snapshot and the journals after it; drops and truncates a torn tail of the current journal. */
  load(): void {
    for (const name of readdirSync(this.dir)) {
      // A compaction cut short; the journals it would have replaced are still here.
      if (SNAPSHOT_TEMP.test(name)) rmSync(join(this.dir, name), { force: true });
    }
    const snapshotSeq = this.loadSnapshot();
    this.seq = snapshotSeq;
    for (const { name } of rotatedJournals(this.dir)) {
      const file = join(this.dir, name);
      const buf = readFileSync(file);
      // A journal is rotated only between two fsync'ed commits, so it ends with a whole frame.
      if (this.replay(buf, file, snapshotSeq) !== buf.length)
        throw new StoreDamagedError(file, "a damaged frame in a rotated journal");
    }
    const journalPath = join(this.dir, JOURNAL);
    const journal = readOptional(journalPath) ?? Buffer.alloc(0);
    const replayable = this.replay(journal, journalPath, snapshotSeq);
    this.journalFd = openSync(journalPath, "a+", PRIVATE_FILE_MODE);
    if (replayable < journal.length) {
      ftruncateSync(this.journalFd, replayable);
      fsyncSync(this.journalFd);
    }
    this.journalBytes = replayable;
    fsyncDir(this.dir);
  }

  /** Reads snapshot (or the legacy snapshot.json) into the tables; returns its sequence number. */
  private loadSnapshot(): number {
    const file = join(this.dir, SNAPSHOT);
    const buf = readOptional(file);
    if (buf) {
      return readSnapshot(buf, file, (table, key, value) => rowsOf(this.tables, table).set(key, value));
    }
    const legacy = readOptional(join(this.dir, LEGACY_SNAPSHOT));
    if (!legacy) return 0;
    const snapshot = JSON.parse(legacy.toString("utf8")) as LegacySnapshot;
    for (const [table, rows] of Object.entries(snapshot.tables)) {
      this.tables.set(table, new Map(Object.entries(rows).map(([k, v]) => [k, deepFreeze(v)])));
    }
    return snapshot.seq;
  }

  /** Applies the frames of `buf` after `afterSeq`; returns how many bytes hold whole frames. */
  private replay(buf: Buffer, file: string, afterSeq: number): number {
    const { payloads, validBytes } = decodeFrames(buf);
    let offset = 0;
    for (const payload of payloads) {
      let frame: Frame;
      try {
        frame = JSON.parse(payload) as Frame;
      } catch {
        // A checksummed frame that is not JSON cannot come from us; treat it as the torn tail.
        return offset;
      }
      offset += Buffer.byteLength(payload) + 8;
      if (frame.seq <= afterSeq) continue;
      if (frame.seq !== this.seq + 1)
        throw new StoreDamagedError(file, `transaction ${frame.seq} follows ${this.seq}`);
      this.apply(frame.w.map((w) => (w[0] === "p" ? ["p", w[1], w[2], deepFreeze(w[3])] : w)) as Write[]);
      this.seq = frame.seq;
    }
    return validBytes;
  }

  /** A row's value, parsed on its first read if it came from the snapshot. */
  private materialize(rows: Map<string, unknown>, key: string, value: unknown): unknown {
    if (!(value instanceof RawJson)) return value;
    const parsed = deepFreeze(value.parse());
    rows.set(key, parsed);
    return parsed;
  }

  get<T>(table: string, key: string): T | undefined {
    for (const layer of this.layers) {
      const rows = layer.get(table);
      if (rows?.has(key)) {
        const value = rows.get(key);
        return (value === DELETED ? undefined : value) as T | undefined;
      }
    }
    const rows = this.tables.get(table);
    return rows && (this.materialize(rows, key, rows.get(key)) as T | undefined);
  }

  list<T>(table: string, keyPrefix = ""): Array<[key: string, value: T]> {
    const committed = this.listCommitted<T>(table, keyPrefix);
    const touching = this.layers.filter((layer) => layer.has(table));
    if (touching.length === 0) return committed;
    // Inside a transaction: merge the writes staged earlier in this batch (and by this transaction).
    const merged = new Map<string, unknown>(committed);
    for (const layer of [...touching].reverse()) {
      for (const [key, value] of layer.get(table)!) {
        if (!key.startsWith(keyPrefix)) continue;
        if (value === DELETED) merged.delete(key);
        else merged.set(key, value);
      }
    }
    return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) as Array<[string, T]>;
  }

  private listCommitted<T>(table: string, keyPrefix: string): Array<[key: string, value: T]> {
    const rows = this.tables.get(table);
    if (!rows) return [];
    let keys = this.sortedKeys.get(table);
    if (!keys) {
      keys = [...rows.keys()].sort();
      this.sortedKeys.set(table, keys);
    }
    const out: Array<[string, T]> = [];
    let start = 0;
    if (keyPrefix) {
      // Binary search for the first key >= prefix; keys sharing it are contiguous.
      let hi = keys.length;
      while (start < hi) {
        const mid = (start + hi) >>> 1;
        if (keys[mid]! < keyPrefix) start = mid + 1;
        else hi = mid;
      }
    }
    for (let i = start; i < keys.length; i++) {
      const key = keys[i]!;
      if (!key.startsWith(keyPrefix)) break;
      out.push([key, this.materialize(rows, key, rows.get(key)) as T]);
    }
    return out;
  }

  transact<R>(fn: (tx: StoreTx) => R): Promise<R> {
    if (this.closed) return Promise.reject(new Error("store is closed"));
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      this.submitted++;
      if (!this.flushing) void this.flush();
    });
  }

  blobDir(...parts: string[]): string {
    const dir = join(this.home, "blobs", ...parts);
    const first = mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    // New directories must themselves survive a crash: sync each new one's parent entry.
    if (first) {
      for (let created = dir; ; created = dirname(created)) {
        fsyncDir(dirname(created));
        if (created === first) break;
      }
    }
    return dir;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    while (this.flushing || this.queue.length > 0) await new Promise((r) => setImmediate(r));
    this.closed = true;
    try {
      await this.compaction;
      // Leave a snapshot and an empty journal: the next open reads no journal at all.
      if (!this.failure && this.journalBytes > 0) await this.writeSnapshotOf(await this.rotate());
    } finally {
      closeSync(this.journalFd);
      await this.unlock();
    }
  }

  /** The lock was lost: stop writing rather than risk two writers. */
  fail(error: Error): void {
    this.failure ??= new Error(
      `the local cloud store at ${this.home} stopped accepting writes: ${error.message}`,
    );
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        // Let callers that are about to transact join this batch.
        await new Promise((r) => setImmediate(r));
        const batch = this.queue.splice(0, this.queue.length);
        try {
          await this.commitBatch(batch);
        } finally {
          this.settled += batch.length;
          this.resumeSnapshotWrites();
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /**
   * A snapshot block is written only once the commits submitted before it are on disk: a commit
   * waits for at most one block's write, never for a queue of them.
   */
  private resumeSnapshotWrites(): void {
    const ready = this.snapshotWaits.filter((wait) => wait.after <= this.settled);
    this.snapshotWaits = this.snapshotWaits.filter((wait) => wait.after > this.settled);
    for (const { resume } of ready) resume();
  }

  private async commitBatch(batch: Pending[]): Promise<void> {
    const staged = new Map<string, Map<string, unknown>>();
    const frames: Buffer[] = [];
    const committed: Array<{ pending: Pending; result: unknown; writes: Write[] }> = [];
    for (const pending of batch) {
      if (this.failure) {
        pending.reject(this.failure);
        continue;
      }
      const own = new Map<string, Map<string, unknown>>();
      const writes: Write[] = [];
      const stage = (table: string, key: string, value: unknown) => {
        rowsOf(own, table).set(key, value);
      };
      const tx: StoreTx = {
        get: <T>(table: string, key: string) => this.get<T>(table, key),
        put: (table, key, value) => {
          const stored = toStored(value);
          writes.push(["p", table, key, stored]);
          stage(table, key, stored);
        },
        delete: (table, key) => {
          writes.push(["d", table, key]);
          stage(table, key, DELETED);
        },
      };
      let result: unknown;
      // While fn runs, store.get/list (not only tx.get) see this batch's earlier writes and fn's own.
      this.layers = [own, staged];
      try {
        result = pending.fn(tx);
        if (result instanceof Promise) throw new TypeError("store.transact: fn must be synchronous");
      } catch (error) {
        pending.reject(error);
        continue;
      } finally {
        this.layers = [];
      }
      for (const [table, rows] of own) {
        const into = rowsOf(staged, table);
        for (const [k, v] of rows) into.set(k, v);
      }
      if (writes.length > 0)
        frames.push(encodeFrame(JSON.stringify({ seq: this.seq + frames.length + 1, w: writes })));
      committed.push({ pending, result, writes });
    }
    if (frames.length > 0) {
      try {
        const buf = Buffer.concat(frames);
        // Asynchronous I/O: reads (and callers queueing the next batch) go on while the disk syncs.
        await writeAllAsync(this.journalFd, buf);
        await fdatasyncAsync(this.journalFd);
        this.journalBytes += buf.length;
        this.seq += frames.length;
      } catch (error) {
        // The file may now hold part of the batch; on reopen the checksums decide. This process stops writing.
        this.fail(error as Error);
        for (const { pending } of committed) pending.reject(this.failure);
        return;
      }
    }
    for (const { writes } of committed) this.apply(writes);
    for (const { pending, result } of committed) pending.resolve(result);
    if (this.journalBytes > this.compactBytes && !this.compaction && !this.closed) {
      try {
        const capture = await this.rotate();
        this.compaction = this.writeSnapshotOf(capture)
          .catch((error: Error) => {
            // The journals it would have replaced are kept, so nothing is lost; the next one retries.
            process.emitWarning(`the local cloud store at ${this.home} could not compact: ${error.message}`);
          })
          .finally(() => {
            this.compaction = undefined;
          });
      } catch (error) {
        this.fail(error as Error);
      }
    }
  }

  private apply(writes: Write[]): void {
    for (const w of writes) {
      const rows = rowsOf(this.tables, w[1]);
      if (w[0] === "p") {
        if (!rows.has(w[2])) this.sortedKeys.delete(w[1]);
        rows.set(w[2], w[3]);
      } else if (rows.delete(w[2])) {
        this.sortedKeys.delete(w[1]);
      }
    }
  }

  /**
   * Between two commits: sets the current journal aside as journal.<seq>, starts a new one, and
   * captures every table at this seq. Values are immutable (frozen, or RawJson), so the capture is
   * references only; later commits replace Map entries, never the captured values.
   */
  private async rotate(): Promise<Capture> {
    await rename(join(this.dir, JOURNAL), join(this.dir, `${JOURNAL}.${this.seq}`));
    const next = openSync(join(this.dir, JOURNAL), "a+", PRIVATE_FILE_MODE);
    await fsyncDirAsync(this.dir);
    closeSync(this.journalFd);
    this.journalFd = next;
    this.journalBytes = 0;
    const tables: SnapshotTable[] = [];
    for (const [name, rows] of this.tables) {
      if (rows.size > 0) tables.push({ name, keys: [...rows.keys()], values: [...rows.values()] });
    }
    return { seq: this.seq, tables };
  }

  /** Writes the captured state as the snapshot, then deletes the journals it covers. */
  private async writeSnapshotOf(capture: Capture): Promise<void> {
    const file = join(this.dir, SNAPSHOT);
    const temp = `${file}.${process.pid}.tmp`;
    const handle = await open(temp, "w", PRIVATE_FILE_MODE);
    try {
      await writeSnapshot(handle, capture.seq, capture.tables, {
        ...this.snapshotWrite,
        // Requests first: a block is written only once the commit in flight is on disk, so a
        // commit never queues behind the snapshot's writes for the disk.
        pause: async () => {
          await this.snapshotWrite.pause?.();
          const after = this.submitted;
          if (this.settled < after)
            await new Promise<void>((resume) => this.snapshotWaits.push({ after, resume }));
        },
      });
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    await rename(temp, file);
    await fsyncDirAsync(this.dir);
    await rm(join(this.dir, LEGACY_SNAPSHOT), { force: true });
    for (const { name, lastSeq } of rotatedJournals(this.dir)) {
      if (lastSeq <= capture.seq) await rm(join(this.dir, name), { force: true });
    }
    await fsyncDirAsync(this.dir);
  }
}

/** Opens (creating if needed) the store under `home`, taking the home's exclusive lock. */
export async function openStore(home: string, options: StoreOptions = {}): Promise<Store> {
  makePrivateDir(home);
  const dir = join(home, "store");
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  let store: JournalStore | undefined;
  const unlock = await lockHome(home, (error) => store?.fail(error));
  try {
    store = new JournalStore(
      home,
      dir,
      options.compactBytes ?? DEFAULT_COMPACT_BYTES,
      {
        ...(options.betweenSnapshotBlocks ? { pause: options.betweenSnapshotBlocks } : {}),
        ...(options.snapshotSyncBytes !== undefined ? { syncEveryBytes: options.snapshotSyncBytes } : {}),
        ...(options.onSnapshotSynced ? { onSynced: options.onSnapshotSynced } : {}),
      },
      unlock,
    );
    store.load();
    return store;
  } catch (error) {
    await unlock();
    throw error;
  }
}
