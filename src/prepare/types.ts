import type { IdentityKind } from "../normalize/index.ts";
import type { SchemaAttributeType } from "../schemas/entity-resolution-api.ts";
import type { EncodedRowGroup } from "./6-parquet/column-chunk.ts";
import type { ParquetFileWriter } from "./6-parquet/parquet-file-writer.ts";

// The shapes prepare's stages hand each other, in pipeline order after the public ones (options,
// result, report). The Parquet writer's own shapes stay in 6-parquet/column-chunk.ts: it knows nothing
// of prepare.

export interface PrepareProgress {
  rows: number;
  bytes: number;
  totalBytes?: number;
}

export interface PrepareOptions {
  /** CSV (any delimiter, UTF-8 with or without BOM) or Parquet file. */
  input: string;
  /** Output directory; created if missing. Files appear in it only once complete. */
  outDir: string;
  /** ISO 3166-1 alpha-2 used where a row has no (valid) country column. @default "US" */
  country?: string;
  /** Column (as in the header) → ER attribute type, MAID|LRP|EXP|MKL, UNIQUE_ID, or IGNORE. Overrides detection. */
  map?: Record<string, string>;
  /** The unique id column (as in the header). @default detected (customer_id, id, rec_id, …) */
  idColumn?: string;
  /** SHA-256 the normalized values; false writes normalized raw values (ER accepts both). @default true */
  hash?: boolean;
  /** Base name of the output table(s). @default the input file name, lowercased */
  tableName?: string;
  /** Glue database named in the CreateTable inputs. @default "idbridge" */
  glueDatabase?: string;
  /** S3 prefix the tables will live under; each table's Location is `<prefix>/<table>/`. @default "s3://idbridge-identity" */
  s3Prefix?: string;
  /** Worker threads for CSV parsing, normalizing and hashing. @default CPU count, 0 for small files */
  workers?: number;
  /** Bytes of CSV per unit of work (tuning and tests). @default 4 MiB */
  chunkBytes?: number;
  /** Dictionary-encode names, cities, states and countries in the Parquet (same values, less to hash and write). @default true */
  dictionary?: boolean;
  onProgress?: (progress: PrepareProgress) => void;
}

/** Where a source column goes. */
export interface ColumnRole {
  /** Header as written in the input. */
  source: string;
  role: "UNIQUE_ID" | "IDENTITY" | "IGNORED";
  /** For IDENTITY: the identity kind. */
  kind?: string;
  /** How the role was decided. */
  detectedBy: "header" | "map" | "id-column" | "none";
}

export interface PreparedColumn {
  name: string;
  /** ER attribute type. */
  type: SchemaAttributeType;
  matchKey?: string;
  hashed: boolean;
}

export interface PreparedTable {
  name: string;
  parquetPath: string;
  schemaMappingPath: string;
  glueTableInputPath: string;
  columns: PreparedColumn[];
  rows: number;
}

export interface ColumnQuality {
  /** Output column (before collapsing into _2, _3…). */
  column: string;
  source: string;
  kind: string;
  /** Rows with a usable value. */
  filled: number;
  fillRate: number;
  /** Rows with no value at all. */
  empty: number;
  /** Rows with a value that failed normalization (dropped, never hashed). */
  invalid: number;
  /** Values that already were SHA-256 hex and passed through. */
  preHashed: number;
}

export interface PrepareReport {
  input: { path: string; format: "csv" | "parquet"; bytes: number; delimiter?: string; bom?: boolean };
  options: { country: string; hash: boolean; tableName: string };
  rowsIn: number;
  rowsOut: number;
  dropped: { missingId: number; noIdentityValues: number; firstMissingIdRows: number[] };
  duplicates: {
    /** Ids that appear on more than one row. */
    ids: number;
    /** Rows that share their id with another row. */
    rows: number;
    maxRowsPerId: number;
    /** Ids with more rows than ER would read (25). */
    idsOverRowLimit: number;
    /** Ids whose rows were collapsed into one row with extra columns. */
    collapsedIds: number;
    /** Distinct values beyond the per-column cap, dropped while collapsing. */
    valuesOverCap: number;
    /**
     * How the ids were checked: "ascending" when they come in strictly ascending order (shortest first,
     * then byte order — e.g. exports ordered by customer id), which proves them unique without a pass
     * over the file; "counted" when DuckDB grouped them.
     */
    checkedBy: "ascending" | "counted";
  };
  columns: ColumnQuality[];
  roles: ColumnRole[];
  countries: Record<string, number>;
  tables: Array<{ name: string; rows: number; columns: string[] }>;
  warnings: string[];
  seconds: number;
  /** Wall time per phase: read+normalize+hash+encode, DuckDB duplicate check/collapse/split. */
  phases: { stream: number; shape: number };
  rowsPerSecond: number;
}

export interface PrepareResult {
  tables: PreparedTable[];
  reportPath: string;
  reportHtmlPath: string;
  report: PrepareReport;
}

// ---- 1-source: what the input is and where each column goes ----

export interface InputShape {
  format: "csv" | "parquet";
  header: string[];
  delimiter?: string;
  bom?: boolean;
  dataStart: number;
}

/** One output identity column: built from one source column, or several for a street address. */
export interface IdentityColumn {
  name: string;
  kind: IdentityKind;
  /** Source column indexes; ADDRESS parts are joined with a space (number, line 1, line 2). */
  sources: number[];
}

export interface ColumnPlan {
  idIndex: number;
  idName: string;
  /** Index of the column whose value sets the row's country, or -1. */
  countryIndex: number;
  identity: IdentityColumn[];
  roles: ColumnRole[];
}

// ---- 3-workers: CSV chunks (each ending on a record boundary) on their way to the writer ----

export interface StreamTarget {
  writer: ParquetFileWriter;
  stats: ChunkStats;
  onChunk: (bytes: number) => void;
}

export interface ChunkStreamOptions {
  fileName: string;
  delimiter: string;
  plan: TransformPlan;
  target: StreamTarget;
  threads: number;
  chunkBytes: number;
  /** The row number of the first record (2 for a CSV file: its header is row 1). */
  firstRow: number;
}

// One chunk's job and outcome (plain data: they cross threads).

export interface CsvChunkJob {
  bytes: Uint8Array;
  delimiter: string;
}

export type ChunkFailure =
  | { type: "ragged"; row: number; expected: number; actual: number }
  | { type: "invalid-utf-8"; row: number }
  | { type: "unterminated-quote"; row: number };

/** Rows in outcomes and failures count records from the chunk's first record (0); the caller adds the base. */
export type ChunkOutcome =
  | { ok: true; group: EncodedRowGroup; stats: ChunkStats; records: number }
  | { ok: false; failure: ChunkFailure };

// ---- 4-rows: records → output columns ----

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

/** The counts behind the report, per chunk and (merged) per file. */
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
