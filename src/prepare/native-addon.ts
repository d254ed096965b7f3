import { createRequire } from "node:module";
import { setting } from "../config.ts";

/** The optional native addon (native/*.c, built at install by native/build.mjs). */
export interface NativeAddon {
  /** Batch SHA-256 → Parquet PLAIN values; same contract as writeSha256HexValues. */
  sha256HexPlain(
    input: Buffer,
    ends: Uint32Array,
    present: Uint8Array,
    count: number,
    out: Buffer,
    at: number,
  ): number;
  /** memmove within a Buffer (Buffer#copyWithin is slow on memory shared between threads). */
  copyWithin(buffer: Buffer, target: number, start: number, end: number): void;
  /** SHA-NI on (when the CPU has it) or off (OpenSSL); returns whether SHA-NI is in use. */
  setShaNi(on: boolean): boolean;
  /** How many times `byte` occurs in buffer[start, end). */
  countByte(buffer: Buffer, byte: number, start: number, end: number): number;
  /** scanCsv's twin, a batch of records at a time (see native/csv_scan.c and 2-chunks/scan.ts). */
  scanCsvBatch(
    bytes: Buffer,
    delimiter: number,
    capacity: number,
    maxRecords: number,
    starts: Int32Array,
    ends: Int32Array,
    flags: Uint8Array,
    counts: Int32Array,
    rows: Int32Array,
    state: Int32Array,
  ): number;
  /** Entry numbers of one column's raw values in a table kept across batches (see native/ascii_normalize.c). */
  valueIds(
    src: Buffer,
    capacity: number,
    records: number,
    field: number,
    starts: Int32Array,
    ends: Int32Array,
    flags: Uint8Array,
    counts: Int32Array,
    slots: Int32Array,
    hashes: Int32Array,
    keyStarts: Int32Array,
    keyEnds: Int32Array,
    arena: Uint8Array,
    state: Int32Array,
    ids: Int32Array,
  ): void;
  /** One column of a scanned batch through the ASCII fast paths (see native/ascii_normalize.c). */
  normalizeAsciiColumn(
    kind: number,
    param: number,
    src: Buffer,
    capacity: number,
    records: number,
    field: number,
    starts: Int32Array,
    ends: Int32Array,
    flags: Uint8Array,
    counts: Int32Array,
    out: Uint8Array,
    lengths: Int32Array,
    slots: Int32Array,
    entries: Int32Array,
    words: Uint8Array,
  ): number;
}

// Set where this module is bundled (worker-bundle.ts): the bundle does not sit where this file does.
declare const IDBRIDGE_NATIVE_ADDON: string | undefined;

function load(): NativeAddon | null {
  if (setting("noNative")) return null;
  try {
    const require = createRequire(import.meta.url);
    const path =
      typeof IDBRIDGE_NATIVE_ADDON === "string"
        ? IDBRIDGE_NATIVE_ADDON
        : "../../build/Release/idbridge_native.node";
    return require(path) as NativeAddon;
  } catch {
    return null; // not built (no compiler at install): the JavaScript paths give the same output, only slower
  }
}

/** The addon, or null when it is not built or IDBRIDGE_NO_NATIVE is set. */
export const native = load();
