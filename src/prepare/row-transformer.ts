import {
  type AsciiFastPath,
  asciiFastPathFor,
  countryCode,
  type IdentityKind,
  isSha256Hex,
  neverHashed,
  normalizerFor,
  trimAscii,
  trimAsciiEnd,
} from "../normalize/index.ts";
import { FIELD_ESCAPED, FIELD_NON_ASCII, type FieldOffsets, NATIVE_BATCH } from "./csv/scan.ts";
import { EMPTY_VALUE, NativeColumns, type NativeValueIds, type ValueEntries } from "./native-columns.ts";
import type { ColumnEncoding, OutputColumn } from "./parquet/column-chunk.ts";
import { DictionaryColumn } from "./parquet/dictionary-column.ts";
import { StringColumn } from "./parquet/string-column.ts";
import { EMPTY, INVALID, type Outcome, PRE_HASHED, RawValueCache, VALID } from "./raw-value-cache.ts";
import type { IdentityColumn } from "./roles.ts";

/** What a worker needs to turn records into output columns (plain data: it crosses threads). */
export interface TransformPlan {
  idIndex: number;
  countryIndex: number;
  identity: Array<Pick<IdentityColumn, "kind" | "sources">>;
  fieldCount: number;
  hash: boolean;
  country: string;
  /** Dictionary-encode the repetitive columns (default); false writes every column PLAIN. */
  dictionary?: boolean;
}

export interface ChunkStats {
  rowsIn: number;
  /** The ids written so far come in strictly ascending order (idOrderLess): then they are all distinct. */
  idsAscending: boolean;
  /** First and last id written (UTF-8), to chain the order check across chunks; never reported. */
  firstId: Uint8Array | null;
  lastId: Uint8Array | null;
  missingId: number;
  firstMissingIdRows: number[];
  noIdentityValues: number;
  filled: number[];
  empty: number[];
  invalid: number[];
  preHashed: number[];
  countries: Record<string, number>;
}

export class RaggedRowError extends Error {
  constructor(
    readonly row: number,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`row ${row} has ${actual} fields, the header has ${expected}`);
  }
}

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

// Names, places and codes repeat a lot in real CRM data; emails, phones and street addresses rarely do.
const CACHED_KINDS = new Set(["NAME_FIRST", "NAME_LAST", "ADDRESS_CITY", "ADDRESS_STATE", "ADDRESS_COUNTRY"]);
const CACHE_ENTRIES = 50_000;

interface PlanCaches {
  /** Normalized values by trimmed raw string (the path of Parquet input and unusual CSV fields). */
  byText: Array<Map<string, string | null> | null>;
  /** Outcomes and values by raw CSV field bytes (the path of CSV input). */
  byBytes: Array<RawValueCache | null>;
  /** The row's country code by the country field's raw bytes. */
  countryByBytes: RawValueCache;
  /** Native normalizing of whole batches for the columns that have it (null without the addon). */
  nativeColumns: NativeColumns | null;
  /** Columns of an encoded row group, for the next transformer: their buffers are grown already. */
  spareColumns: OutputColumn[] | null;
}

// One transformer per chunk, but the normalized-value caches live as long as the plan (a whole file, in
// each thread): on real data names repeat across chunks far more than within one.
const planCaches = new WeakMap<TransformPlan, PlanCaches>();

function cachesFor(plan: TransformPlan): PlanCaches {
  let caches = planCaches.get(plan);
  if (!caches) {
    const cached = plan.identity.map((c) => CACHED_KINDS.has(c.kind));
    caches = {
      byText: cached.map((yes) => (yes ? new Map<string, string | null>() : null)),
      byBytes: cached.map((yes) => (yes ? new RawValueCache(CACHE_ENTRIES) : null)),
      countryByBytes: new RawValueCache(1024),
      nativeColumns: NativeColumns.for(plan, NATIVE_BATCH, (kind) => CACHED_KINDS.has(kind)),
      spareColumns: null,
    };
    planCaches.set(plan, caches);
  }
  return caches;
}

// Tells the dictionary indices of one transformer's row group from another's in the shared byte caches.
let transformers = 0;

/** Parquet encoding of [id, ...identity]: identity columns of hashable kinds are SHA-256'd when hashing. */
export function columnEncodings(plan: TransformPlan): ColumnEncoding[] {
  return [
    { required: true, sha256: false },
    ...plan.identity.map((c) => ({
      required: false,
      sha256: plan.hash && !neverHashed(c.kind as IdentityKind),
    })),
  ];
}

/**
 * Normalizes records into columns: [id, ...identity]. Rows without an id or without any
 * usable identity value are dropped and counted. Values never leave this object except as output columns.
 */
export class RowTransformer {
  readonly columns: OutputColumn[];
  readonly stats: ChunkStats;
  private readonly normalizers;
  private readonly hashable: boolean[];
  private readonly caches: Array<Map<string, string | null> | null>;
  private readonly byteCaches: Array<RawValueCache | null>;
  private readonly countryCache: RawValueCache;
  private readonly fastPaths: Array<AsciiFastPath | null>;
  private readonly nativeColumns: NativeColumns | null;
  /** The native columns hold the current batch's values (beginBatch ran). */
  private nativeReady = false;
  /** Per identity column: the pending run of native values (native from, native to, column at; -1 = none). */
  private readonly runs: Int32Array;
  private readonly id = transformers++;
  private countryRun = "";
  private countryRunRows = 0;
  /** The outcome of the last `evaluate`. */
  private outcome: Outcome = VALID;
  private readonly countryColumn: number;
  private readonly single: Int32Array;
  private lastCountryRaw: string | null = null;
  private lastCountry: string | null = null;
  private readonly lastRaw: Array<string | null>;
  private readonly lastNormalized: Array<string | null>;

  constructor(private readonly plan: TransformPlan) {
    // The kinds that repeat are dictionary-encoded: each distinct value is encoded and hashed once per row group.
    const dictionary = plan.dictionary ?? true;
    const caches = cachesFor(plan);
    const spare = caches.spareColumns;
    caches.spareColumns = null;
    if (spare) for (const column of spare) column.reset();
    this.columns = spare ?? [
      new StringColumn(),
      ...plan.identity.map((c) =>
        dictionary && CACHED_KINDS.has(c.kind) ? new DictionaryColumn() : new StringColumn(),
      ),
    ];
    this.stats = emptyStats(plan.identity.length);
    this.normalizers = plan.identity.map((c) => normalizerFor(c.kind as IdentityKind));
    this.hashable = plan.identity.map((c) => !neverHashed(c.kind as IdentityKind));
    this.single = Int32Array.from(plan.identity.map((c) => (c.sources.length === 1 ? c.sources[0]! : -1)));
    this.lastRaw = plan.identity.map(() => null);
    this.lastNormalized = plan.identity.map(() => null);
    this.countryColumn = plan.identity.findIndex((c) => c.kind === "ADDRESS_COUNTRY");
    this.caches = caches.byText;
    this.byteCaches = caches.byBytes;
    this.countryCache = caches.countryByBytes;
    this.fastPaths = plan.identity.map((c) => asciiFastPathFor(c.kind as IdentityKind));
    this.nativeColumns = caches.nativeColumns;
    this.runs = new Int32Array(3 * plan.identity.length).fill(-1);
  }

  /** A native scan batch is about to be pushed record by record: normalize its native columns at once. */
  beginBatch(src: Buffer, fields: FieldOffsets, records: number): void {
    if (!this.nativeColumns) return;
    this.flushRuns(); // the previous batch's values leave the native buffers before run() overwrites them
    this.nativeColumns.run(src, fields, records);
    this.nativeReady = true;
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

  /**
   * The row group is encoded: the next transformer of this plan (in this thread) reuses the columns.
   * Growing fresh multi-MB column buffers for every chunk cost copies and garbage collections.
   */
  release(): void {
    cachesFor(this.plan).spareColumns = this.columns;
  }

  /** Every value in place in its column and the stats complete: call before the columns are encoded. */
  finish(): void {
    this.endCountryRun();
    const ids = this.columns[0] as StringColumn;
    if (ids.count > 0) {
      // Copies (Buffer#slice would be a view): the column's buffer is reused for the next chunk.
      this.stats.firstId = new Uint8Array(ids.bytes.subarray(0, ids.ends[0]!));
      this.stats.lastId = new Uint8Array(
        ids.bytes.subarray(ids.start(ids.count - 1), ids.ends[ids.count - 1]!),
      );
    }
    this.flushRuns();
  }

  private flushRuns(): void {
    if (!this.nativeColumns) return;
    for (let c = 0; c < this.plan.identity.length; c++) this.flushRun(c);
  }

  /** `row` numbers the record for counts and errors (the caller knows what it is relative to). */
  push(fields: Array<string | null>, row: number): void {
    const plan = this.plan;
    if (fields.length !== plan.fieldCount) {
      if (fields.length === 1 && (fields[0] === "" || fields[0] === null)) return; // a blank line
      throw new RaggedRowError(row, plan.fieldCount, fields.length);
    }
    const stats = this.stats;
    stats.rowsIn++;
    const id = fields[plan.idIndex]?.trim() ?? "";
    if (id.length === 0) {
      stats.missingId++;
      if (stats.firstMissingIdRows.length < 10) stats.firstMissingIdRows.push(row);
      return;
    }
    let country = plan.country;
    if (plan.countryIndex >= 0) {
      // Most files hold one or a few countries, often in runs: skip the lookup when it repeats.
      const raw = fields[plan.countryIndex] ?? "";
      if (raw !== this.lastCountryRaw) {
        this.lastCountryRaw = raw;
        this.lastCountry = countryCode(raw);
      }
      country = this.lastCountry ?? country;
    }
    this.countCountry(country);
    const identity = plan.identity;
    const start = this.columns[0]!.count;
    let any = false;
    for (let c = 0; c < identity.length; c++) {
      const source = this.single[c]!;
      const raw = source >= 0 ? fields[source] : joinParts(fields, identity[c]!.sources);
      const value = this.value(c, raw ?? null, country);
      const column = this.columns[c + 1]!;
      if (value === null) column.appendNull();
      else {
        // A country alone identifies nobody: such a row counts as having no identity values.
        if (c !== this.countryColumn) any = true;
        column.append(value);
        stats.filled[c]!++;
      }
    }
    if (!any) {
      this.flushRuns();
      for (let c = 1; c < this.columns.length; c++) this.columns[c]!.truncate(start);
      stats.noIdentityValues++;
      return;
    }
    this.columns[0]!.append(id);
    this.checkIdOrder();
  }

  /**
   * The CSV path: one record as byte ranges of `src` (scan.ts), without decoding the chunk. The output is
   * byte for byte what `push` makes of the same record as strings (row-transformer.test.ts checks it):
   * repeated values come from the byte-keyed caches, ASCII values of the hot kinds from their byte fast
   * paths, everything else is decoded and goes the string way.
   */
  pushRecord(src: Buffer, fields: FieldOffsets, row: number): void {
    const plan = this.plan;
    const base = fields.base;
    if (fields.count !== plan.fieldCount) {
      if (fields.count === 1 && fields.ends[base] === fields.starts[base]) return; // a quoted empty line
      throw new RaggedRowError(row, plan.fieldCount, fields.count);
    }
    const stats = this.stats;
    stats.rowsIn++;
    const idIndex = base + plan.idIndex;
    let idStart = fields.starts[idIndex]!;
    let idEnd = fields.ends[idIndex]!;
    let idText: string | null = null;
    if (fields.flags[idIndex] === 0) {
      idStart = trimAscii(src, idStart, idEnd);
      idEnd = trimAsciiEnd(src, idStart, idEnd);
    } else idText = fieldText(src, fields, idIndex).trim();
    if (idText === null ? idStart === idEnd : idText.length === 0) {
      stats.missingId++;
      if (stats.firstMissingIdRows.length < 10) stats.firstMissingIdRows.push(row);
      return;
    }
    let country = plan.country;
    if (plan.countryIndex >= 0) country = this.countryOf(src, fields, base + plan.countryIndex) ?? country;
    this.countCountry(country);
    const identity = plan.identity;
    const start = this.columns[0]!.count;
    let any = false;
    for (let c = 0; c < identity.length; c++) {
      const source = this.single[c]!;
      const present =
        source >= 0
          ? this.appendField(c, src, fields, base + source, country)
          : this.appendValue(c, this.value(c, joinFieldParts(src, fields, identity[c]!.sources), country));
      // A country alone identifies nobody: such a row counts as having no identity values.
      if (present && c !== this.countryColumn) any = true;
    }
    if (!any) {
      // No native value of this row is pending (it would have made `any` true), but truncating under a
      // pending run would lose bytes: flush first rather than rely on that.
      this.flushRuns();
      for (let c = 1; c < this.columns.length; c++) this.columns[c]!.truncate(start);
      stats.noIdentityValues++;
      return;
    }
    const ids = this.columns[0] as StringColumn;
    if (idText === null) ids.appendCopy(src, idStart, idEnd);
    else ids.append(idText);
    this.checkIdOrder();
  }

  // Rows come in runs of one country: count the run, add it to stats.countries when it ends (or at finish).
  private countCountry(country: string): void {
    if (country === this.countryRun) {
      this.countryRunRows++;
      return;
    }
    this.endCountryRun();
    this.countryRun = country;
    this.countryRunRows = 1;
  }

  private endCountryRun(): void {
    if (this.countryRunRows === 0) return;
    const countries = this.stats.countries;
    countries[this.countryRun] = (countries[this.countryRun] ?? 0) + this.countryRunRows;
    this.countryRunRows = 0;
  }

  /** Keeps stats.idsAscending true while each id written is greater than the one before. */
  private checkIdOrder(): void {
    const stats = this.stats;
    const ids = this.columns[0] as StringColumn;
    const n = ids.count;
    if (!stats.idsAscending || n < 2) return;
    const { bytes, ends } = ids;
    const previousStart = n === 2 ? 0 : ends[n - 3]!;
    if (!idOrderLess(bytes, previousStart, ends[n - 2]!, bytes, ends[n - 2]!, ends[n - 1]!))
      stats.idsAscending = false;
  }

  /** Appends the value of the field at `index` (base included) to identity column `c`; true when it is not null. */
  private appendField(c: number, src: Buffer, fields: FieldOffsets, index: number, country: string): boolean {
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

  /** Appends a known raw value's outcome (and value) to identity column `c`; true when it is not null. */
  private appendEntry(c: number, entries: ValueEntries, entry: number): boolean {
    const outcome = entries.outcome[entry] as Outcome;
    this.count(c, outcome);
    const column = this.columns[c + 1]!;
    if (outcome === EMPTY || outcome === INVALID) {
      column.appendNull();
      return false;
    }
    if (column instanceof DictionaryColumn) {
      if (entries.dictionaryOf[entry] === this.id) column.appendIndex(entries.dictionaryIndex[entry]!);
      else {
        column.append(entries.value[entry]!);
        entries.dictionaryOf[entry] = this.id;
        entries.dictionaryIndex[entry] = column.lastIndex();
      }
    } else column.append(entries.value[entry]!);
    this.stats.filled[c]!++;
    return true;
  }

  private appendValue(c: number, value: string | null): boolean {
    const column = this.columns[c + 1]!;
    if (value === null) {
      column.appendNull();
      return false;
    }
    column.append(value);
    this.stats.filled[c]!++;
    return true;
  }

  private countryOf(src: Buffer, fields: FieldOffsets, index: number): string | null {
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

  private value(column: number, raw: string | null, country: string): string | null {
    const value = this.evaluate(column, raw, country);
    this.count(column, this.outcome);
    return value;
  }

  /** The output value of a raw value (null when none); its outcome goes to `this.outcome`, not to the stats. */
  private evaluate(column: number, raw: string | null, country: string): string | null {
    if (raw === null) {
      this.outcome = EMPTY;
      return null;
    }
    const trimmed = raw.trim();
    if (trimmed.length === 0) {
      this.outcome = EMPTY;
      return null;
    }
    if (this.hashable[column] && trimmed.length === 64 && isSha256Hex(trimmed)) {
      this.outcome = PRE_HASHED;
      return trimmed.toLowerCase();
    }
    // Every normalizer ignores surrounding whitespace: hand it the trimmed value (one trim, not two).
    // Hashing happens when the row group is encoded, in one batch per column.
    const normalized = this.normalize(column, trimmed, country);
    this.outcome = normalized === null ? INVALID : VALID;
    return normalized;
  }

  private count(column: number, outcome: Outcome): void {
    const stats = this.stats;
    if (outcome === EMPTY) stats.empty[column]!++;
    else if (outcome === INVALID) stats.invalid[column]!++;
    else if (outcome === PRE_HASHED) stats.preHashed[column]!++;
  }

  private normalize(column: number, raw: string, country: string): string | null {
    const cache = country === this.plan.country ? this.caches[column] : null;
    if (!cache) return this.normalizers[column]!(raw, country);
    // A repeat of the previous row's value (a country column) costs a string compare, not a Map lookup.
    if (raw === this.lastRaw[column]) return this.lastNormalized[column] ?? null;
    let normalized = cache.get(raw);
    if (normalized === undefined) {
      normalized = this.normalizers[column]!(raw, country);
      if (cache.size >= CACHE_ENTRIES) cache.clear(); // bounded: memory stays flat on any file
      cache.set(raw, normalized);
    }
    this.lastRaw[column] = raw;
    this.lastNormalized[column] = normalized;
    return normalized;
  }
}

function joinParts(fields: Array<string | null>, sources: number[]): string {
  let joined = "";
  for (const source of sources) {
    const part = fields[source]?.trim();
    if (part) joined = joined.length === 0 ? part : `${joined} ${part}`;
  }
  return joined;
}

// All-ASCII bytes decode the same as Latin-1, which is a plain copy.
function decode(src: Buffer, start: number, end: number, flags: number): string {
  return src.toString(flags & FIELD_NON_ASCII ? "utf8" : "latin1", start, end);
}

/** The text of the field at `index` (base included), "" escapes undone. */
function fieldText(src: Buffer, fields: FieldOffsets, index: number): string {
  const flags = fields.flags[index]!;
  const text = decode(src, fields.starts[index]!, fields.ends[index]!, flags);
  return flags & FIELD_ESCAPED ? text.replaceAll('""', '"') : text;
}

function joinFieldParts(src: Buffer, fields: FieldOffsets, sources: number[]): string {
  let joined = "";
  for (const source of sources) {
    const part = fieldText(src, fields, fields.base + source).trim();
    if (part) joined = joined.length === 0 ? part : `${joined} ${part}`;
  }
  return joined;
}
