import {
  countryCode,
  type IdentityKind,
  isSha256Hex,
  neverHashed,
  normalizerFor,
} from "../normalize/index.ts";
import type { ColumnEncoding, OutputColumn } from "./parquet/column-chunk.ts";
import { DictionaryColumn } from "./parquet/dictionary-column.ts";
import { StringColumn } from "./parquet/string-column.ts";
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

// Names, places and codes repeat a lot in real CRM data; emails, phones and street addresses rarely do.
const CACHED_KINDS = new Set(["NAME_FIRST", "NAME_LAST", "ADDRESS_CITY", "ADDRESS_STATE", "ADDRESS_COUNTRY"]);
const CACHE_ENTRIES = 50_000;

// One transformer per chunk, but the normalized-value caches live as long as the plan (a whole file, in
// each thread): on real data names repeat across chunks far more than within one.
const planCaches = new WeakMap<TransformPlan, Array<Map<string, string | null> | null>>();

function cachesFor(plan: TransformPlan): Array<Map<string, string | null> | null> {
  let caches = planCaches.get(plan);
  if (!caches) {
    caches = plan.identity.map((c) => (CACHED_KINDS.has(c.kind) ? new Map<string, string | null>() : null));
    planCaches.set(plan, caches);
  }
  return caches;
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
  private readonly countryColumn: number;
  private readonly single: Int32Array;
  private lastCountryRaw: string | null = null;
  private lastCountry: string | null = null;
  private readonly lastRaw: Array<string | null>;
  private readonly lastNormalized: Array<string | null>;

  constructor(private readonly plan: TransformPlan) {
    // The kinds that repeat are dictionary-encoded: each distinct value is encoded and hashed once per row group.
    const dictionary = plan.dictionary ?? true;
    this.columns = [
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
    this.caches = cachesFor(plan);
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
    stats.countries[country] = (stats.countries[country] ?? 0) + 1;
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
      for (let c = 1; c < this.columns.length; c++) this.columns[c]!.truncate(start);
      stats.noIdentityValues++;
      return;
    }
    this.columns[0]!.append(id);
  }

  private value(column: number, raw: string | null, country: string): string | null {
    const stats = this.stats;
    if (raw === null) {
      stats.empty[column]!++;
      return null;
    }
    const trimmed = raw.trim();
    if (trimmed.length === 0) {
      stats.empty[column]!++;
      return null;
    }
    if (this.hashable[column] && trimmed.length === 64 && isSha256Hex(trimmed)) {
      stats.preHashed[column]!++;
      return trimmed.toLowerCase();
    }
    // Every normalizer ignores surrounding whitespace: hand it the trimmed value (one trim, not two).
    const normalized = this.normalize(column, trimmed, country);
    if (normalized === null) {
      stats.invalid[column]!++;
      return null;
    }
    // Hashing happens when the row group is encoded, in one batch per column.
    return normalized;
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
