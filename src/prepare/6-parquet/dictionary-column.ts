import { StringColumn } from "./string-column.ts";

// Past this many distinct values in a row group the column is written PLAIN: a dictionary that big saves
// little, and it keeps index bit widths ≤ 16.
const MAX_ENTRIES = 1 << 16;

/**
 * A column of optional strings kept as a dictionary of distinct values plus one index per row: the shape
 * of a Parquet RLE_DICTIONARY column chunk. Names, cities, states and countries repeat a lot, so each
 * distinct value is encoded (and SHA-256'd) once per row group instead of once per row. Memory is
 * bounded by the row group, never by the file. `full` turns true when the dictionary reached its cap:
 * the encoder then writes the column PLAIN from `plain()`.
 */
export class DictionaryColumn {
  readonly dictionary = new StringColumn();
  indices: Uint32Array = new Uint32Array(1024);
  present: Uint8Array = new Uint8Array(1024);
  count = 0;
  nulls = 0;
  private readonly entries = new Map<string, number>();

  /** Empty again, keeping the buffers. */
  reset(): void {
    this.dictionary.reset();
    this.entries.clear();
    this.count = 0;
    this.nulls = 0;
  }

  /** True when the column holds more distinct values than one dictionary page should. */
  get full(): boolean {
    return this.dictionary.count >= MAX_ENTRIES;
  }

  appendNull(): void {
    if (this.count === this.indices.length) this.growRows();
    this.present[this.count] = 0;
    this.count++;
    this.nulls++;
  }

  append(value: string): void {
    if (this.count === this.indices.length) this.growRows();
    let index = this.entries.get(value);
    if (index === undefined) {
      index = this.dictionary.count;
      this.dictionary.append(value);
      this.entries.set(value, index);
    }
    this.indices[this.count] = index;
    this.present[this.count] = 1;
    this.count++;
  }

  /** Appends the value at `index` of the dictionary (an index `append` or `lastIndex` gave). */
  appendIndex(index: number): void {
    if (this.count === this.indices.length) this.growRows();
    this.indices[this.count] = index;
    this.present[this.count] = 1;
    this.count++;
  }

  /** The dictionary index of the last value appended. */
  lastIndex(): number {
    return this.indices[this.count - 1]!;
  }

  /** Drops the values after the first `rows`; their dictionary entries stay (unused entries are harmless). */
  truncate(rows: number): void {
    for (let i = rows; i < this.count; i++) if (this.present[i] === 0) this.nulls--;
    this.count = rows;
  }

  /** The same values as a plain StringColumn (the fallback when the dictionary is full). */
  plain(): StringColumn {
    const column = new StringColumn();
    const { bytes, ends } = this.dictionary;
    for (let i = 0; i < this.count; i++) {
      if (this.present[i] === 0) column.appendNull();
      else {
        const index = this.indices[i]!;
        column.appendBytes(bytes, this.dictionary.start(index), ends[index]!);
      }
    }
    return column;
  }

  private growRows(): void {
    const indices = new Uint32Array(this.indices.length * 2);
    indices.set(this.indices);
    this.indices = indices;
    const present = new Uint8Array(this.present.length * 2);
    present.set(this.present);
    this.present = present;
  }
}
