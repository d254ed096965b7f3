import { hash } from "node:crypto";

/** Lowercase hex SHA-256 of the UTF-8 bytes of `value`. */
export function sha256Hex(value: string): string {
  return hash("sha256", value, "hex");
}

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/** True when `value` already is a SHA-256 digest in hex (either case): such values pass through unhashed. */
export function isSha256Hex(value: string): boolean {
  return value.length === 64 && SHA256_HEX.test(value);
}

/** The value written when hashing: SHA-256 hex of the normalized value, or the value itself when it already is one. */
export function hashNormalized(normalized: string): string {
  return isSha256Hex(normalized) ? normalized : sha256Hex(normalized);
}
