/** What a raw value turned into: the counts of the report follow from it. */
export const EMPTY = 0;
export const INVALID = 1;
export const VALID = 2;
export const PRE_HASHED = 3;
export type Outcome = typeof EMPTY | typeof INVALID | typeof VALID | typeof PRE_HASHED;

const NONE = -1;

/**
 * Normalized values keyed by the raw field's bytes, so a repeated name, city, state or country costs a
 * hash and a byte compare — no string is decoded. An open-addressing table over typed arrays: keys live
 * in one byte arena. Each entry also remembers its index in the dictionary of the row group being built
 * (`dictionaryOf` = that row group's id), so a hit appends a dictionary index directly. Bounded: past
 * `maxEntries` it starts over.
 */
export class RawValueCache {
  readonly outcome: Uint8Array;
  readonly value: Array<string | null>;
  readonly dictionaryOf: Int32Array;
  readonly dictionaryIndex: Int32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly hashes: Int32Array;
  private readonly keyStarts: Int32Array;
  private readonly keyEnds: Int32Array;
  private arena = new Uint8Array(1 << 16);
  private arenaUsed = 0;
  private size = 0;
  private lastHash = 0;

  constructor(readonly maxEntries = 50_000) {
    let capacity = 1;
    while (capacity < maxEntries * 2) capacity <<= 1;
    this.slots = new Int32Array(capacity).fill(NONE);
    this.mask = capacity - 1;
    this.hashes = new Int32Array(maxEntries);
    this.keyStarts = new Int32Array(maxEntries);
    this.keyEnds = new Int32Array(maxEntries);
    this.outcome = new Uint8Array(maxEntries);
    this.value = new Array(maxEntries).fill(null);
    this.dictionaryOf = new Int32Array(maxEntries).fill(NONE);
    this.dictionaryIndex = new Int32Array(maxEntries);
  }

  /** The entry of src[start, end), or -1 (then `add` may follow for the same bytes). */
  find(src: Uint8Array, start: number, end: number): number {
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ src[i]!, 0x01000193);
    this.lastHash = hash;
    const length = end - start;
    const arena = this.arena;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot]!;
      if (entry === NONE) return NONE;
      if (this.hashes[entry] !== hash) continue;
      const keyStart = this.keyStarts[entry]!;
      if (this.keyEnds[entry]! - keyStart !== length) continue;
      let k = 0;
      while (k < length && arena[keyStart + k] === src[start + k]) k++;
      if (k === length) return entry;
    }
  }

  /** Adds src[start, end) right after a `find` of the same bytes missed; returns its entry. */
  add(src: Uint8Array, start: number, end: number, outcome: Outcome, value: string | null): number {
    if (this.size === this.maxEntries) this.clear();
    const length = end - start;
    if (this.arenaUsed + length > this.arena.length) this.growArena(length);
    this.arena.set(src.subarray(start, end), this.arenaUsed);
    const entry = this.size++;
    this.hashes[entry] = this.lastHash;
    this.keyStarts[entry] = this.arenaUsed;
    this.keyEnds[entry] = this.arenaUsed + length;
    this.arenaUsed += length;
    this.outcome[entry] = outcome;
    this.value[entry] = value;
    this.dictionaryOf[entry] = NONE;
    let slot = this.lastHash & this.mask;
    while (this.slots[slot] !== NONE) slot = (slot + 1) & this.mask;
    this.slots[slot] = entry;
    return entry;
  }

  private clear(): void {
    this.slots.fill(NONE);
    this.value.fill(null);
    this.size = 0;
    this.arenaUsed = 0;
  }

  private growArena(extra: number): void {
    const next = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + extra));
    next.set(this.arena.subarray(0, this.arenaUsed));
    this.arena = next;
  }
}
