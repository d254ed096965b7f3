// Byte-level fast paths for the common shapes of the hot kinds, used by prepare on ASCII fields straight
// from the CSV bytes. Each writes the normalized value into `out` at `at` and returns the end offset — the
// very bytes the string normalizer of its kind returns — or -1 when the value is not the plain case it
// knows: the caller then runs the string normalizer, which decides. ascii-bytes.test.ts checks the
// equality on generated values; nothing here may ever answer "invalid".

import { addressWords } from "./address-words.ts";
import type { IdentityKind } from "./kinds.ts";
import { postalDigitCount } from "./postal.ts";

/**
 * Writes the normalized value of src[start, end) — ASCII, trimmed, not empty — into out at `at` (room for
 * end - start + 16 bytes); returns the end offset, or -1 to use the string path.
 */
export type AsciiFastPath = (
  src: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  at: number,
  country: string,
) => number;

const isUpper = (c: number) => c >= 65 && c <= 90;
const isLower = (c: number) => c >= 97 && c <= 122;
const isDigit = (c: number) => c >= 48 && c <= 57;

// RFC 5322 atext of the ASCII email rule (email.ts ASCII_EMAIL), after lowercasing.
const LOCAL_PART = new Uint8Array(128);
for (const c of "abcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+/=?^_`{|}~.-") LOCAL_PART[c.charCodeAt(0)] = 1;

/** normalizeEmail for local@label.label…tld with ASCII atext, as ASCII_EMAIL accepts it. */
export const emailAscii: AsciiFastPath = (src, start, end, out, at) => {
  let o = at;
  let i = start;
  for (; i < end; i++) {
    let c = src[i]!;
    if (c === 64) break;
    if (isUpper(c)) c |= 32;
    if (c >= 128 || LOCAL_PART[c] === 0) return -1;
    out[o++] = c;
  }
  if (i === start || i === end) return -1;
  out[o++] = 64;
  let labels = 0;
  let label = 0;
  let lettersOnly = true;
  for (i++; i < end; i++) {
    let c = src[i]!;
    if (isUpper(c)) c |= 32;
    if (c === 46) {
      if (label === 0) return -1;
      labels++;
      label = 0;
      lettersOnly = true;
    } else if (isLower(c)) label++;
    else if (isDigit(c) || c === 45) {
      label++;
      lettersOnly = false;
    } else return -1;
    out[o++] = c;
  }
  return labels > 0 && label >= 2 && lettersOnly ? o : -1;
};

const DIGITS = new Uint8Array(11);

/** normalizePhone for a US/CA number of digits, spaces, ( ) - . and at most a '+': 1NXXNXXXXXX. */
export const phoneAscii: AsciiFastPath = (src, start, end, out, at, country) => {
  if (country !== "US" && country !== "CA") return -1;
  const d = DIGITS;
  let digits = 0;
  let plus = false;
  for (let i = start; i < end; i++) {
    const c = src[i]!;
    if (isDigit(c)) {
      if (digits < 11) d[digits] = c;
      digits++;
    } else if (c === 43) plus = true;
    else if (!(c === 32 || c === 40 || c === 41 || c === 45 || c === 46)) return -1;
  }
  let from: number;
  if (digits === 10 && !plus && d[0]! >= 50) {
    out[at] = 49;
    from = 0;
  } else if (digits === 11 && d[0] === 49 && d[1]! >= 50) {
    out[at] = 49;
    from = 1;
  } else return -1;
  for (let k = 0; k < 10; k++) out[at + 1 + k] = d[from + k]!;
  return at + 11;
};

/** normalizePostal for all-digit postal systems when the code's digits come first and together (ZIP+4 → ZIP). */
export const postalAscii: AsciiFastPath = (src, start, end, out, at, country) => {
  const length = postalDigitCount(country);
  if (length === 0) return -1;
  let first = start;
  while (first < end && !isDigit(src[first]!)) first++;
  if (first + length > end) return -1;
  for (let k = 0; k < length; k++) {
    const c = src[first + k]!;
    if (!isDigit(c)) return -1;
    out[at + k] = c;
  }
  return at + length;
};

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const isAlnum = (c: number) => isLower(c) || isDigit(c);

/**
 * A country's address words (address-words.ts) keyed by their bytes, so tokens are looked up undecoded.
 * Plain typed arrays (the native addon reads the same table): `slots` hold entry numbers (-1 = free),
 * entry e is entries[5e..5e+4] = FNV-1a hash, key start, key end, value start, value end in `bytes`.
 */
export class AddressWordTable {
  readonly slots: Int32Array;
  readonly entries: Int32Array;
  readonly bytes: Uint8Array;
  private readonly mask: number;

  constructor(words: Record<string, string>) {
    const pairs = Object.entries(words);
    let capacity = 16;
    while (capacity < pairs.length * 2) capacity <<= 1;
    this.slots = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
    this.entries = new Int32Array(5 * pairs.length);
    this.bytes = Buffer.from(pairs.map(([key, value]) => key + value).join(""), "latin1");
    let at = 0;
    for (const [e, [key, value]] of pairs.entries()) {
      let hash = FNV_OFFSET;
      for (let k = 0; k < key.length; k++) hash = Math.imul(hash ^ key.charCodeAt(k), FNV_PRIME);
      this.entries.set([hash, at, at + key.length, at + key.length, at + key.length + value.length], 5 * e);
      at += key.length + value.length;
      let slot = hash & this.mask;
      while (this.slots[slot] !== -1) slot = (slot + 1) & this.mask;
      this.slots[slot] = e;
    }
  }

  /** The entry of the lowercased token src[start, end) whose FNV-1a hash is `hash`, or -1. */
  find(src: Uint8Array, start: number, end: number, hash: number): number {
    const { entries, bytes } = this;
    const length = end - start;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot]!;
      if (entry === -1) return -1;
      const e = 5 * entry;
      if (entries[e] !== hash) continue;
      const keyStart = entries[e + 1]!;
      if (entries[e + 2]! - keyStart !== length) continue;
      let k = 0;
      while (k < length && bytes[keyStart + k] === (src[start + k]! | (isUpper(src[start + k]!) ? 32 : 0)))
        k++;
      if (k === length) return entry;
    }
  }
}

const wordTables = new Map<string, AddressWordTable>();

/** The address word table of a country (built once). */
export function addressWordTable(country: string): AddressWordTable {
  let table = wordTables.get(country);
  if (!table) {
    table = new AddressWordTable(addressWords(country));
    wordTables.set(country, table);
  }
  return table;
}

/**
 * normalizeAddress for ASCII: the runs of [a-z0-9] (lowercased), each word run replaced by its
 * abbreviation, joined without spaces. An empty result goes to the string path (which calls it invalid).
 */
export const addressAscii: AsciiFastPath = (src, start, end, out, at, country) => {
  const table = addressWordTable(country);
  const limit = at + (end - start) + 16;
  let o = at;
  let i = start;
  while (i < end) {
    let c = src[i]!;
    if (isUpper(c)) c |= 32;
    if (!isAlnum(c)) {
      i++;
      continue;
    }
    const tokenStart = i;
    let hash = FNV_OFFSET;
    while (i < end) {
      c = src[i]!;
      if (isUpper(c)) c |= 32;
      if (!isAlnum(c)) break;
      hash = Math.imul(hash ^ c, FNV_PRIME);
      i++;
    }
    // House numbers are never abbreviated (as in normalizeAddress).
    const entry = isDigit(src[tokenStart]!) ? -1 : table.find(src, tokenStart, i, hash);
    if (entry >= 0) {
      const valueStart = table.entries[5 * entry + 3]!;
      const valueEnd = table.entries[5 * entry + 4]!;
      if (o + (valueEnd - valueStart) > limit) return -1;
      for (let k = valueStart; k < valueEnd; k++) out[o++] = table.bytes[k]!;
    } else {
      if (o + (i - tokenStart) > limit) return -1;
      for (let k = tokenStart; k < i; k++) {
        const b = src[k]!;
        out[o++] = isUpper(b) ? b | 32 : b;
      }
    }
  }
  return o === at ? -1 : o;
};

/** Third-party ids (MAID, LRP, EXP, MKL): lowercased. */
export const lowercaseAscii: AsciiFastPath = (src, start, end, out, at) => {
  let o = at;
  for (let i = start; i < end; i++) {
    const c = src[i]!;
    out[o++] = isUpper(c) ? c | 32 : c;
  }
  return o;
};

/** [start, end) without the ASCII whitespace String.prototype.trim removes (tab, LF, VT, FF, CR, space). */
export function trimAscii(src: Uint8Array, start: number, end: number): number {
  while (start < end && isSpace(src[start]!)) start++;
  return start;
}

export function trimAsciiEnd(src: Uint8Array, start: number, end: number): number {
  while (end > start && isSpace(src[end - 1]!)) end--;
  return end;
}

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

const FAST_PATHS: Partial<Record<IdentityKind, AsciiFastPath>> = {
  EMAIL_ADDRESS: emailAscii,
  PHONE: phoneAscii,
  ADDRESS: addressAscii,
  ADDRESS_POSTALCODE: postalAscii,
  MAID: lowercaseAscii,
  LRP: lowercaseAscii,
  EXP: lowercaseAscii,
  MKL: lowercaseAscii,
};

/** The byte fast path of a kind; null for kinds that always take the string normalizer. */
export function asciiFastPathFor(kind: IdentityKind): AsciiFastPath | null {
  return FAST_PATHS[kind] ?? null;
}
