import { hash } from "node:crypto";
import { native } from "../native-addon.ts";
import type { StringColumn } from "./string-column.ts";

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
