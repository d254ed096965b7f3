import { hash } from "node:crypto";
import { createRequire } from "node:module";
import type { StringColumn } from "../parquet/string-column.ts";

/** Native batch SHA-256 (native/sha256_batch.c), same contract as writeSha256HexValues. */
interface NativeBatch {
  sha256HexPlain(
    input: Buffer,
    ends: Uint32Array,
    present: Uint8Array,
    count: number,
    out: Buffer,
    at: number,
  ): number;
  /** SHA-NI on (when the CPU has it) or off (OpenSSL); returns whether SHA-NI is in use. */
  setShaNi(on: boolean): boolean;
}

// Set where this module is bundled (worker-bundle.ts): the bundle does not sit where this file does.
declare const IDBRIDGE_NATIVE_ADDON: string | undefined;

function loadNative(): NativeBatch | null {
  if (process.env.IDBRIDGE_NO_NATIVE) return null;
  try {
    const require = createRequire(import.meta.url);
    const addon =
      typeof IDBRIDGE_NATIVE_ADDON === "string"
        ? IDBRIDGE_NATIVE_ADDON
        : "../../../build/Release/sha256_batch.node";
    return require(addon) as NativeBatch;
  } catch {
    return null; // not built (no compiler at install): node:crypto gives the same digests, only slower
  }
}

const native = loadNative();

/** True when the native batch hasher is in use. */
export const nativeHashing = native !== null;

/** Lets the native hasher use the CPU's SHA extensions (the default where it has them) or not; true when it does. */
export function useShaExtensions(on: boolean): boolean {
  return native?.setShaNi(on) ?? false;
}

/**
 * For each present value of the column, a PLAIN Parquet BYTE_ARRAY: u32 length 64, then the lowercase hex
 * SHA-256 of the value's UTF-8 bytes — or the value itself when it already is 64 lowercase hex chars.
 * Returns the offset after the last value.
 */
export function writeSha256HexValues(column: StringColumn, out: Buffer, at: number): number {
  if (native) return native.sha256HexPlain(column.bytes, column.ends, column.present, column.count, out, at);
  return writeSha256HexValuesPortable(column, out, at);
}

/** The node:crypto path: the reference the native addon must equal. */
export function writeSha256HexValuesPortable(column: StringColumn, out: Buffer, at: number): number {
  const { bytes, ends, present, count } = column;
  let position = at;
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = ends[i]!;
    if (present[i] === 1) {
      const value = bytes.subarray(start, end);
      out.writeUInt32LE(64, position);
      if (isLowerHex64(value)) value.copy(out, position + 4);
      else out.write(hash("sha256", value, "hex"), position + 4, "latin1");
      position += 68;
    }
    start = end;
  }
  return position;
}

function isLowerHex64(value: Buffer): boolean {
  if (value.length !== 64) return false;
  for (const c of value) if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  return true;
}
