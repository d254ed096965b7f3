import type { ChunkStats } from "../types.ts";

export function emptyStats(columns: number): ChunkStats {
  const zeros = () => new Array<number>(columns).fill(0);
  return {
    rowsIn: 0,
    idsAscending: true,
    firstId: null,
    lastId: null,
    missingId: 0,
    firstMissingIdRows: [],
    noIdentityValues: 0,
    filled: zeros(),
    empty: zeros(),
    invalid: zeros(),
    preHashed: zeros(),
    countries: {},
  };
}

/** Adds `from` into `into`; `rowBase` turns the chunk's row numbers into file row numbers. */
export function mergeStats(into: ChunkStats, from: ChunkStats, rowBase = 0): void {
  into.rowsIn += from.rowsIn;
  into.idsAscending &&=
    from.idsAscending &&
    (into.lastId === null ||
      from.firstId === null ||
      idOrderLess(into.lastId, 0, into.lastId.length, from.firstId, 0, from.firstId.length));
  into.firstId ??= from.firstId;
  into.lastId = from.lastId ?? into.lastId;
  into.missingId += from.missingId;
  for (const row of from.firstMissingIdRows) {
    if (into.firstMissingIdRows.length < 10) into.firstMissingIdRows.push(rowBase + row);
  }
  into.noIdentityValues += from.noIdentityValues;
  for (let i = 0; i < into.filled.length; i++) {
    into.filled[i]! += from.filled[i]!;
    into.empty[i]! += from.empty[i]!;
    into.invalid[i]! += from.invalid[i]!;
    into.preHashed[i]! += from.preHashed[i]!;
  }
  for (const [code, n] of Object.entries(from.countries))
    into.countries[code] = (into.countries[code] ?? 0) + n;
}

/**
 * a < b in "shortlex" order: shorter first, then byte order. A total order under which the ids of the
 * usual exports (ordered by a customer number, zero-padded or not) ascend, as "C9" < "C10".
 */
export function idOrderLess(
  a: Uint8Array,
  aStart: number,
  aEnd: number,
  b: Uint8Array,
  bStart: number,
  bEnd: number,
): boolean {
  const aLength = aEnd - aStart;
  const bLength = bEnd - bStart;
  if (aLength !== bLength) return aLength < bLength;
  for (let k = 0; k < aLength; k++) {
    const x = a[aStart + k]!;
    const y = b[bStart + k]!;
    if (x !== y) return x < y;
  }
  return false;
}
