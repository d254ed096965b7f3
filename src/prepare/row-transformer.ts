import {
  countryCode,
  type IdentityKind,
  isSha256Hex,
  neverHashed,
  normalizerFor,
} from "../normalize/index.ts";
import type { ColumnEncoding } from "./parquet/column-chunk.ts";
import type { IdentityColumn } from "./roles.ts";

/** What a worker needs to turn records into output columns (plain data: it crosses threads). */
export interface TransformPlan {
  idIndex: number;
  countryIndex: number;
  identity: Array<Pick<IdentityColumn, "kind" | "sources">>;
  fieldCount: number;
  hash: boolean;
  country: string;
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

export function mergeStats(into: ChunkStats, from: ChunkStats): void {
  into.rowsIn += from.rowsIn;
  into.missingId += from.missingId;
  for (const row of from.firstMissingIdRows)
    if (into.firstMissingIdRows.length < 10) into.firstMissingIdRows.push(row);
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

const SUPPORTED_PHONE_COUNTRY = /^[A-Z]{2}$/;

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
  readonly columns: Array<Array<string | null>>;
  readonly stats: ChunkStats;
  private readonly normalizers;
  private readonly hashable: boolean[];
  private readonly single: Int32Array;

  constructor(private readonly plan: TransformPlan) {
    this.columns = [[], ...plan.identity.map(() => [])];
    this.stats = emptyStats(plan.identity.length);
    this.normalizers = plan.identity.map((c) => normalizerFor(c.kind as IdentityKind));
    this.hashable = plan.identity.map((c) => !neverHashed(c.kind as IdentityKind));
    this.single = Int32Array.from(plan.identity.map((c) => (c.sources.length === 1 ? c.sources[0]! : -1)));
  }

  /** `row` is the 1-based row number in the file (the header is row 1), used only in counts and errors. */
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
      const code = countryCode(fields[plan.countryIndex] ?? "");
      if (code !== null && SUPPORTED_PHONE_COUNTRY.test(code)) country = code;
    }
    stats.countries[country] = (stats.countries[country] ?? 0) + 1;
    const identity = plan.identity;
    const start = this.columns[0]!.length;
    let any = false;
    for (let c = 0; c < identity.length; c++) {
      const source = this.single[c]!;
      const raw = source >= 0 ? fields[source] : joinParts(fields, identity[c]!.sources);
      const value = this.value(c, raw ?? null, country);
      if (value !== null) any = true;
      this.columns[c + 1]!.push(value);
    }
    if (!any) {
      for (let c = 1; c < this.columns.length; c++) this.columns[c]!.length = start;
      stats.noIdentityValues++;
      return;
    }
    this.columns[0]!.push(id);
    for (let c = 0; c < identity.length; c++) if (this.columns[c + 1]![start] !== null) stats.filled[c]!++;
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
    const normalized = this.normalizers[column]!(raw, country);
    if (normalized === null) {
      stats.invalid[column]!++;
      return null;
    }
    // Hashing happens when the row group is encoded, in one batch per column.
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
