import {
  countryCode,
  type IdentityKind,
  isSha256Hex,
  neverHashed,
  normalizerFor,
} from "../../normalize/index.ts";
import type { ValueEntries } from "../5-native/native-columns.ts";
import type { ColumnEncoding, OutputColumn } from "../6-parquet/column-chunk.ts";
import { DictionaryColumn } from "../6-parquet/dictionary-column.ts";
import { StringColumn } from "../6-parquet/string-column.ts";
import type { ChunkStats, TransformPlan } from "../types.ts";
import { CACHE_ENTRIES, CACHED_KINDS, cachesFor } from "./plan-caches.ts";
import { EMPTY, INVALID, type Outcome, PRE_HASHED, VALID } from "./raw-value-cache.ts";
import { emptyStats, idOrderLess } from "./stats.ts";

export class RaggedRowError extends Error {
  constructor(
    readonly row: number,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`row ${row} has ${actual} fields, the header has ${expected}`);
  }
}

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

// Tells the dictionary indices of one transformer's row group from another's in the shared byte caches.
let transformers = 0;

/**
 * The reference path: records as strings (Parquet input's fallback and whatever the byte scanner leaves),
 * normalized into columns [id, ...identity]. Rows without an id or without any usable identity value are
 * dropped and counted. Values never leave this object except as output columns. The byte path
 * (row-transformer.ts) extends it and must give byte-equal output (csv-paths.test.ts).
 */
export class StringPathTransformer {
  readonly columns: OutputColumn[];
  readonly stats: ChunkStats;
  protected readonly hashable: boolean[];
  /** Per identity column: the source field when it has exactly one, else -1 (an address of parts). */
  protected readonly single: Int32Array;
  protected readonly countryColumn: number;
  /** Numbers this transformer's row group in the shared caches' dictionary marks. */
  protected readonly id = transformers++;
  /** The outcome of the last `evaluate`. */
  protected outcome: Outcome = VALID;
  private readonly normalizers;
  private readonly caches: Array<Map<string, string | null> | null>;
  private countryRun = "";
  private countryRunRows = 0;
  private lastCountryRaw: string | null = null;
  private lastCountry: string | null = null;
  private readonly lastRaw: Array<string | null>;
  private readonly lastNormalized: Array<string | null>;

  constructor(protected readonly plan: TransformPlan) {
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
    this.flushPending();
  }

  /** Bytes a subclass holds back from the columns go in (before a truncate or the end). */
  protected flushPending(): void {}

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
      this.countMissingId(row);
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
      // A country alone identifies nobody: such a row counts as having no identity values.
      if (this.appendValue(c, this.value(c, raw ?? null, country)) && c !== this.countryColumn) any = true;
    }
    if (!any) {
      this.dropIdentityValues(start);
      return;
    }
    this.columns[0]!.append(id);
    this.checkIdOrder();
  }

  protected countMissingId(row: number): void {
    const stats = this.stats;
    stats.missingId++;
    if (stats.firstMissingIdRows.length < 10) stats.firstMissingIdRows.push(row);
  }

  /** The row has an id but no identity value: its values (appended from `start` on) go, the counts stay. */
  protected dropIdentityValues(start: number): void {
    // Truncating under a pending run would lose bytes: flush first.
    this.flushPending();
    for (let c = 1; c < this.columns.length; c++) this.columns[c]!.truncate(start);
    this.stats.noIdentityValues++;
  }

  // Rows come in runs of one country: count the run, add it to stats.countries when it ends (or at finish).
  protected countCountry(country: string): void {
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
  protected checkIdOrder(): void {
    const stats = this.stats;
    const ids = this.columns[0] as StringColumn;
    const n = ids.count;
    if (!stats.idsAscending || n < 2) return;
    const { bytes, ends } = ids;
    const previousStart = n === 2 ? 0 : ends[n - 3]!;
    if (!idOrderLess(bytes, previousStart, ends[n - 2]!, bytes, ends[n - 2]!, ends[n - 1]!))
      stats.idsAscending = false;
  }

  /** Appends a known raw value's outcome (and value) to identity column `c`; true when it is not null. */
  protected appendEntry(c: number, entries: ValueEntries, entry: number): boolean {
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

  protected appendValue(c: number, value: string | null): boolean {
    const column = this.columns[c + 1]!;
    if (value === null) {
      column.appendNull();
      return false;
    }
    column.append(value);
    this.stats.filled[c]!++;
    return true;
  }

  protected value(column: number, raw: string | null, country: string): string | null {
    const value = this.evaluate(column, raw, country);
    this.count(column, this.outcome);
    return value;
  }

  /** The output value of a raw value (null when none); its outcome goes to `this.outcome`, not to the stats. */
  protected evaluate(column: number, raw: string | null, country: string): string | null {
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

  protected count(column: number, outcome: Outcome): void {
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
