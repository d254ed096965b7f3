import type {
  CreateSchemaMappingInput,
  IdMappingJobMetrics,
  IdMappingRuleBasedProperties,
} from "../schemas/entity-resolution-api.ts";

/** One table of one side of an ID mapping: its files and its ER schema mapping. */
export interface MatchInput {
  /** Names the input in errors and, when a side has several inputs, in the mapping's source_name/target_name. */
  name: string;
  /** Parquet or CSV files (CSV when every name ends in .csv/.tsv/.txt); all share one schema. */
  files: string[];
  schema: CreateSchemaMappingInput;
}

export interface MatchProgress {
  phase: string;
  done?: number;
  total?: number;
}

export interface RunIdMappingOptions {
  sources: MatchInput[];
  targets: MatchInput[];
  rules: IdMappingRuleBasedProperties;
  /** Parquet file for the mapping (source_id, target_id, match_rule), written atomically. */
  outFile: string;
  /** ISO 3166-1 alpha-2 used to normalize raw phones and postal codes without a country column. @default "US" */
  country?: string;
  onProgress?: (p: MatchProgress) => void;
  signal?: AbortSignal;
  /** DuckDB worker threads. @default all cores */
  threads?: number;
  /** DuckDB memory limit such as "3GB". @default DuckDB's default */
  memoryLimit?: string;
}

export interface IdMappingResult {
  /** ER's job metrics; inputRecords and friends count the rows of both sides. */
  metrics: IdMappingJobMetrics;
  perRule: Array<{ ruleName: string; mappedSourceRecords: number; mappedTargetRecords: number }>;
  outFile: string;
  /** Where the time went, in milliseconds: reading + fingerprinting inputs, matching, writing the mapping, counting the metrics. */
  timingsMs?: { load: number; match: number; write: number; metrics: number };
}
