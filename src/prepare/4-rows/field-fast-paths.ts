import {
  type AsciiFastPath,
  asciiFastPathFor,
  countryCode,
  type IdentityKind,
  trimAscii,
  trimAsciiEnd,
} from "../../normalize/index.ts";
import { FIELD_ESCAPED, FIELD_NON_ASCII, type FieldOffsets } from "../2-chunks/scan.ts";
import { EMPTY_VALUE, type NativeColumns, type NativeValueIds } from "../5-native/native-columns.ts";
import { DictionaryColumn } from "../6-parquet/dictionary-column.ts";
import type { StringColumn } from "../6-parquet/string-column.ts";
import type { TransformPlan } from "../types.ts";
import { cachesFor } from "./plan-caches.ts";
import { type RawValueCache, VALID } from "./raw-value-cache.ts";
import { StringPathTransformer } from "./string-path.ts";

/**
 * One CSV field (a byte range of the chunk) into its identity column, by the cheapest path that gives the
 * string path's output: the addon's entry number for a repeated raw value, a byte-keyed cache, a value the
 * addon normalized with the batch (appended as runs of bytes), an ASCII byte fast path
 * (normalize/ascii-bytes.ts), and else the string path on the decoded text.
 */
export class FieldFastPathTransformer extends StringPathTransformer {
  /** The native columns hold the current batch's values (beginBatch ran). */
  protected nativeReady = false;
  protected readonly nativeColumns: NativeColumns | null;
  private readonly byteCaches: Array<RawValueCache | null>;
  private readonly countryCache: RawValueCache;
  private readonly fastPaths: Array<AsciiFastPath | null>;
  /** Per identity column: the pending run of native values (native from, native to, column at; -1 = none). */
  private readonly runs: Int32Array;

  constructor(plan: TransformPlan) {
    super(plan);
    const caches = cachesFor(plan);
    this.byteCaches = caches.byBytes;
    this.countryCache = caches.countryByBytes;
    this.fastPaths = plan.identity.map((c) => asciiFastPathFor(c.kind as IdentityKind));
    this.nativeColumns = caches.nativeColumns;
    this.runs = new Int32Array(3 * plan.identity.length).fill(-1);
  }

  /** Appends the value of the field at `index` (base included) to identity column `c`; true when it is not null. */
  protected appendField(
    c: number,
    src: Buffer,
    fields: FieldOffsets,
    index: number,
    country: string,
  ): boolean {
    const flags = fields.flags[index]!;
    let start = fields.starts[index]!;
    let end = fields.ends[index]!;
    const cache = country === this.plan.country ? this.byteCaches[c]! : null;
    if (cache !== null && (flags & FIELD_ESCAPED) === 0) {
      const numbered = this.nativeReady ? this.nativeColumns!.ids[c] : null;
      const id = numbered ? numbered.ids[fields.record]! : -1;
      if (id >= 0) return this.appendNumbered(c, numbered!, id, src, start, end, flags);
      return this.appendCached(c, cache, src, start, end, flags);
    }
    if (this.nativeReady && country === this.plan.country) {
      const done = this.nativeColumns!.columns[c];
      if (done) {
        const length = done.lengths[fields.record]!;
        if (length >= 0) {
          this.appendNative(c, done.offsets[fields.record]!, length);
          this.stats.filled[c]!++;
          return true;
        }
        if (length === EMPTY_VALUE) return this.appendValue(c, this.value(c, null, country));
      }
    }
    if (flags !== 0) return this.appendValue(c, this.value(c, fieldText(src, fields, index), country));
    start = trimAscii(src, start, end);
    end = trimAsciiEnd(src, start, end);
    if (start === end) return this.appendValue(c, this.value(c, null, country));
    const fast = this.fastPaths[c];
    // A 64-character value may be a digest that passes through: the string path tells.
    if (fast && !(end - start === 64 && this.hashable[c])) {
      const column = this.columns[c + 1] as StringColumn;
      const at = column.reserve(end - start + 16);
      const written = fast(src, start, end, column.bytes, at, country);
      if (written >= 0) {
        column.commit(written);
        this.stats.filled[c]!++;
        return true;
      }
    }
    return this.appendValue(c, this.value(c, decode(src, start, end, 0), country));
  }

  /**
   * appendField for the single-source identity column `c` over the batch's records `kept[0, n)`, all in the
   * plan's country: the values the addon numbered or normalized go in by tight loops of their own (one
   * column kind per loop), the rest by appendField. Sets any[i] when record kept[i] got a value and `marks`.
   */
  protected appendColumn(
    c: number,
    src: Buffer,
    fields: FieldOffsets,
    source: number,
    kept: Int32Array,
    n: number,
    any: Uint8Array,
    marks: boolean,
  ): void {
    const numbered = this.nativeReady && this.byteCaches[c] ? this.nativeColumns!.ids[c] : null;
    const column = this.columns[c + 1]!;
    if (numbered && column instanceof DictionaryColumn) {
      this.appendNumberedColumn(c, src, fields, source, kept, n, any, marks, numbered, column);
      return;
    }
    const done = this.nativeReady && !this.byteCaches[c] ? this.nativeColumns!.columns[c] : null;
    if (done) {
      this.appendNativeColumn(c, src, fields, source, kept, n, any, marks, done.lengths, done.offsets);
      return;
    }
    const capacity = fields.capacity;
    const country = this.plan.country;
    for (let i = 0; i < n; i++) {
      const k = kept[i]!;
      fields.record = k;
      if (this.appendField(c, src, fields, k * capacity + source, country) && marks) any[i] = 1;
    }
  }

  private appendNumberedColumn(
    c: number,
    src: Buffer,
    fields: FieldOffsets,
    source: number,
    kept: Int32Array,
    n: number,
    any: Uint8Array,
    marks: boolean,
    numbered: NativeValueIds,
    column: DictionaryColumn,
  ): void {
    const { capacity, flags } = fields;
    const { ids, computed, outcome, dictionaryOf, dictionaryIndex } = numbered;
    const country = this.plan.country;
    const mine = this.id;
    let filled = 0;
    for (let i = 0; i < n; i++) {
      const k = kept[i]!;
      const id = ids[k]!;
      // A value this row group's dictionary holds already: its index, no lookup.
      if (id >= 0 && computed[id] === 1 && outcome[id] === VALID && dictionaryOf[id] === mine) {
        if ((flags[k * capacity + source]! & FIELD_ESCAPED) === 0) {
          column.appendIndex(dictionaryIndex[id]!);
          filled++;
          if (marks) any[i] = 1;
          continue;
        }
      }
      fields.record = k;
      if (this.appendField(c, src, fields, k * capacity + source, country) && marks) any[i] = 1;
    }
    this.stats.filled[c]! += filled;
  }

  private appendNativeColumn(
    c: number,
    src: Buffer,
    fields: FieldOffsets,
    source: number,
    kept: Int32Array,
    n: number,
    any: Uint8Array,
    marks: boolean,
    lengths: Int32Array,
    offsets: Int32Array,
  ): void {
    const capacity = fields.capacity;
    const country = this.plan.country;
    let filled = 0;
    for (let i = 0; i < n; i++) {
      const k = kept[i]!;
      const length = lengths[k]!;
      if (length >= 0) {
        this.appendNative(c, offsets[k]!, length);
        filled++;
        if (marks) any[i] = 1;
        continue;
      }
      fields.record = k;
      if (this.appendField(c, src, fields, k * capacity + source, country) && marks) any[i] = 1;
    }
    this.stats.filled[c]! += filled;
  }

  /** The row's country code from the country field, or null when it names none. */
  protected countryOf(src: Buffer, fields: FieldOffsets, index: number): string | null {
    const flags = fields.flags[index]!;
    if (flags & FIELD_ESCAPED) return countryCode(fieldText(src, fields, index));
    const start = fields.starts[index]!;
    const end = fields.ends[index]!;
    const numbered = this.nativeReady ? this.nativeColumns!.countryIds : null;
    const id = numbered ? numbered.ids[fields.record]! : -1;
    if (id >= 0) {
      if (numbered!.computed[id] === 0) {
        numbered!.value[id] = countryCode(decode(src, start, end, flags));
        numbered!.computed[id] = 1;
      }
      return numbered!.value[id]!;
    }
    const cache = this.countryCache;
    let entry = cache.find(src, start, end);
    if (entry < 0) {
      const raw = decode(src, start, end, flags);
      entry = cache.add(src, start, end, VALID, countryCode(raw));
    }
    return cache.value[entry]!;
  }

  /**
   * Natively normalized values go into their column as a pending run: consecutive values lie back to back
   * in the native buffer as in the column, so a run costs one copy, not one per value. The column's ends
   * are set at once; its bytes when the run is flushed — before a row is dropped (truncate), before the
   * next batch and by `finish`. Bytes appended meanwhile go after the run, never into it.
   */
  private appendNative(c: number, from: number, length: number): void {
    const column = this.columns[c + 1] as StringColumn;
    const at = column.reserve(length);
    const runs = this.runs;
    const r = 3 * c;
    if (runs[r]! >= 0 && runs[r + 1] === from && runs[r + 2]! + (runs[r + 1]! - runs[r]!) === at) {
      runs[r + 1] = from + length;
    } else {
      this.flushRun(c);
      runs[r] = from;
      runs[r + 1] = from + length;
      runs[r + 2] = at;
    }
    column.commit(at + length);
  }

  private flushRun(c: number): void {
    const runs = this.runs;
    const r = 3 * c;
    const from = runs[r]!;
    if (from < 0) return;
    const out = this.nativeColumns!.columns[c]!.out;
    (this.columns[c + 1] as StringColumn).bytes.set(out.subarray(from, runs[r + 1]), runs[r + 2]);
    runs[r] = -1;
  }

  protected override flushPending(): void {
    if (!this.nativeColumns) return;
    for (let c = 0; c < this.plan.identity.length; c++) this.flushRun(c);
  }

  private appendCached(
    c: number,
    cache: RawValueCache,
    src: Buffer,
    start: number,
    end: number,
    flags: number,
  ): boolean {
    let entry = cache.find(src, start, end);
    if (entry < 0) {
      const raw = decode(src, start, end, flags);
      const value = this.evaluate(c, raw, this.plan.country);
      entry = cache.add(src, start, end, this.outcome, value);
    }
    return this.appendEntry(c, cache, entry);
  }

  /** Like appendCached, with the entry number the addon gave the raw value. */
  private appendNumbered(
    c: number,
    numbered: NativeValueIds,
    id: number,
    src: Buffer,
    start: number,
    end: number,
    flags: number,
  ): boolean {
    if (numbered.computed[id] === 0) {
      numbered.value[id] = this.evaluate(c, decode(src, start, end, flags), this.plan.country);
      numbered.outcome[id] = this.outcome;
      numbered.dictionaryOf[id] = -1;
      numbered.computed[id] = 1;
    }
    return this.appendEntry(c, numbered, id);
  }
}

// All-ASCII bytes decode the same as Latin-1, which is a plain copy.
export function decode(src: Buffer, start: number, end: number, flags: number): string {
  return src.toString(flags & FIELD_NON_ASCII ? "utf8" : "latin1", start, end);
}

/** The text of the field at `index` (base included), "" escapes undone. */
export function fieldText(src: Buffer, fields: FieldOffsets, index: number): string {
  const flags = fields.flags[index]!;
  const text = decode(src, fields.starts[index]!, fields.ends[index]!, flags);
  return flags & FIELD_ESCAPED ? text.replaceAll('""', '"') : text;
}
