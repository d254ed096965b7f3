import { hash } from "node:crypto";
import { createRequire } from "node:module";

/** Native batch SHA-256 (native/sha256_batch.c): hashes `count` messages of `input` delimited by `offsets`. */
interface NativeBatch {
  sha256HexPlain(input: Buffer, offsets: Uint32Array, count: number, out: Buffer, at: number): number;
}

function loadNative(): NativeBatch | null {
  if (process.env.IDBRIDGE_NO_NATIVE) return null;
  try {
    const require = createRequire(import.meta.url);
    return require("../../../build/Release/sha256_batch.node") as NativeBatch;
  } catch {
    return null; // no compiler at install time: node:crypto gives the same digests, only slower
  }
}

const native = loadNative();

export const nativeHashing = native !== null;

const NON_ASCII = /[^\u0001-\u007f]/;

/**
 * Writes, for each value, a PLAIN Parquet BYTE_ARRAY: u32 length 64, then the lowercase hex SHA-256 of the
 * value's UTF-8 bytes — or the value itself when it already is a 64-char hex digest (it was lowercased by
 * normalization). Returns the offset after the last value.
 */
export function writeSha256HexValues(values: string[], out: Buffer, at: number): number {
  if (native && values.length > 0) {
    const joined = values.join("");
    if (!NON_ASCII.test(joined)) {
      const offsets = new Uint32Array(values.length + 1);
      let sum = 0;
      for (let i = 0; i < values.length; i++) {
        offsets[i] = sum;
        sum += values[i]!.length;
      }
      offsets[values.length] = sum;
      return native.sha256HexPlain(Buffer.from(joined, "latin1"), offsets, values.length, out, at);
    }
  }
  let position = at;
  for (const value of values) {
    out.writeUInt32LE(64, position);
    const digest = value.length === 64 && isHex(value) ? value : hash("sha256", value, "hex");
    position += 4 + out.write(digest, position + 4, "latin1");
  }
  return position;
}

function isHex(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}
