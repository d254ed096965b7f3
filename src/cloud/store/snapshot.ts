import type { FileHandle } from "node:fs/promises";
import { decodeFrameBodies, encodeFrame, frameHeader } from "./journal.ts";

/**
 * The store's snapshot file: the whole state at one journal sequence number, as checksummed frames
 * (journal.ts) — a header, blocks of rows, an end marker with the row count. Each row is
 * [u32 table bytes][u32 key bytes][u32 value bytes][table][key][value JSON], so opening splits rows
 * without parsing their JSON: a value is parsed the first time it is read (RawJson), which makes
 * opening a large state cost about as much as reading the file. Writing goes a block at a time,
 * awaiting the disk between blocks, so a large state is written without stalling the event loop
 * (one JSON.stringify of a 150 MB state blocks it for seconds, and fails past V8's ~512 MB string limit).
 */

const HEADER = 0x48; // "H"
const ROWS = 0x52; // "R"
const END = 0x45; // "E"
const FORMAT = "idbridge-store-snapshot";
const ROW_HEADER_BYTES = 12;
/** ~1-3 ms of serializing per block: the event loop gets a turn at least that often. */
const BLOCK_BYTES = 256 * 1024;
/**
 * The snapshot is synced every this many bytes while it is written. On ext4 (data=ordered) an
 * fsync of the journal also writes out other files' dirty data in the same filesystem transaction,
 * so a snapshot left dirty to the end made every commit during a compaction wait for up to the
 * whole snapshot's writeback; synced in steps, a commit waits for at most one step's worth.
 */
export const DEFAULT_SNAPSHOT_SYNC_BYTES = 1024 * 1024;

/**
 * A value as read from a snapshot, not decoded yet: a range of the snapshot file's bytes (kept
 * outside the JS heap, so opening a large state makes no garbage for the collector to chase).
 */
export class RawJson {
  constructor(
    readonly buf: Buffer,
    readonly start: number,
    readonly end: number,
  ) {}

  parse(): unknown {
    return JSON.parse(this.buf.toString("utf8", this.start, this.end));
  }
}

/** A store file that is not what the store wrote (checksums or sequence numbers do not fit): opening stops. */
export class StoreDamagedError extends Error {
  override readonly name = "StoreDamagedError";
  constructor(file: string, what: string) {
    super(
      `${file} is damaged (${what}); the local cloud cannot open it without losing data: restore the home from a backup`,
    );
  }
}

export interface SnapshotTable {
  name: string;
  keys: readonly string[];
  /** Parsed values, or RawJson for rows that were never read since the last open. */
  values: readonly unknown[];
}

function kindFrame(kind: number, json: string): Buffer {
  const body = Buffer.from(` ${json}`, "utf8");
  body[0] = kind;
  return encodeFrame(body);
}

/** Collects rows into one frame body, growing only for a row larger than the block. */
class RowBlock {
  private buf = Buffer.allocUnsafe(BLOCK_BYTES * 2);
  private used = 1;

  get bytes(): number {
    return this.used;
  }

  add(table: Buffer, key: string, value: string | RawJson): void {
    const keyBytes = Buffer.byteLength(key, "utf8");
    const valueBytes = typeof value === "string" ? Buffer.byteLength(value, "utf8") : value.end - value.start;
    const need = this.used + ROW_HEADER_BYTES + table.length + keyBytes + valueBytes;
    if (need > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.used);
      this.buf = bigger;
    }
    let at = this.used;
    at = this.buf.writeUInt32LE(table.length, at);
    at = this.buf.writeUInt32LE(keyBytes, at);
    at = this.buf.writeUInt32LE(valueBytes, at);
    at += table.copy(this.buf, at);
    at += this.buf.write(key, at, "utf8");
    at +=
      typeof value === "string"
        ? this.buf.write(value, at, "utf8")
        : value.buf.copy(this.buf, at, value.start, value.end);
    this.used = at;
  }

  /**
   * The framed block as [frame header, body] (the body is a view of this block's buffer, not a
   * copy: a copy per block made ~1 GB of short-lived external memory for a 150 MB state, and the
   * full collections it triggers stall the event loop). Valid until the next add().
   */
  take(): [Buffer, Buffer] {
    this.buf[0] = ROWS;
    const body = this.buf.subarray(0, this.used);
    this.used = 1;
    return [frameHeader(body), body];
  }
}

export interface SnapshotWriteOptions {
  /** Runs between blocks (tests use it to hold a compaction half-way). */
  pause?: () => Promise<void> | void;
  /** Sync the file every this many bytes written. @default DEFAULT_SNAPSHOT_SYNC_BYTES */
  syncEveryBytes?: number;
  /** Called with the bytes written so far after each step's sync. */
  onSynced?: (bytes: number) => void;
}

/** Writes the snapshot of `tables` at `seq` to `handle` (the caller syncs the tail and renames it). */
export async function writeSnapshot(
  handle: FileHandle,
  seq: number,
  tables: readonly SnapshotTable[],
  { pause, syncEveryBytes = DEFAULT_SNAPSHOT_SYNC_BYTES, onSynced }: SnapshotWriteOptions = {},
): Promise<void> {
  let written = 0;
  let synced = 0;
  const write = async (parts: Buffer[]) => {
    await handle.writev(parts);
    for (const part of parts) written += part.length;
    if (written - synced >= syncEveryBytes) {
      await handle.datasync();
      synced = written;
      onSynced?.(written);
    }
  };
  await write([kindFrame(HEADER, JSON.stringify({ format: FORMAT, version: 1, seq }))]);
  const block = new RowBlock();
  let rows = 0;
  for (const table of tables) {
    const name = Buffer.from(table.name, "utf8");
    for (let i = 0; i < table.keys.length; i++) {
      const value = table.values[i];
      block.add(name, table.keys[i]!, value instanceof RawJson ? value : JSON.stringify(value));
      rows++;
      if (block.bytes >= BLOCK_BYTES) {
        await write(block.take());
        await pause?.();
      }
    }
  }
  if (block.bytes > 1) await write(block.take());
  await write([kindFrame(END, JSON.stringify({ rows }))]);
}

/**
 * Reads a snapshot written by writeSnapshot: calls `onRow` for every row (values unparsed) and
 * returns the snapshot's sequence number. A snapshot is renamed into place only once complete and
 * synced, so anything short of a whole, checksummed file is damage, not a torn write: it throws.
 */
export function readSnapshot(
  buf: Buffer,
  file: string,
  onRow: (table: string, key: string, value: RawJson) => void,
): number {
  const { bodies, validBytes } = decodeFrameBodies(buf);
  if (validBytes !== buf.length) throw new StoreDamagedError(file, `bad frame at byte ${validBytes}`);
  const header = bodies[0];
  if (!header || header[0] !== HEADER) throw new StoreDamagedError(file, "no header");
  const { format, seq } = JSON.parse(header.toString("utf8", 1)) as { format: string; seq: number };
  if (format !== FORMAT || !Number.isInteger(seq)) throw new StoreDamagedError(file, "unknown header");
  let rows = 0;
  let table = "";
  let tableBytes: Buffer | undefined;
  for (let b = 1; b < bodies.length; b++) {
    const body = bodies[b]!;
    if (body[0] === END) {
      const end = JSON.parse(body.toString("utf8", 1)) as { rows: number };
      if (end.rows !== rows || b !== bodies.length - 1)
        throw new StoreDamagedError(file, `${rows} rows where the end marker says ${end.rows}`);
      return seq;
    }
    if (body[0] !== ROWS) throw new StoreDamagedError(file, `unknown block kind ${body[0]}`);
    let at = 1;
    while (at < body.length) {
      const t = body.readUInt32LE(at);
      const k = body.readUInt32LE(at + 4);
      const v = body.readUInt32LE(at + 8);
      at += ROW_HEADER_BYTES;
      // Rows come grouped by table: decode a table name only when it changes.
      if (!tableBytes || tableBytes.length !== t || tableBytes.compare(body, at, at + t) !== 0) {
        tableBytes = body.subarray(at, at + t);
        table = tableBytes.toString("utf8");
      }
      at += t;
      const key = body.toString("utf8", at, at + k);
      at += k;
      onRow(table, key, new RawJson(body, at, at + v));
      at += v;
      rows++;
    }
  }
  throw new StoreDamagedError(file, "no end marker");
}
