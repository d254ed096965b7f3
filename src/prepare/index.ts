// prepare: CRM export (CSV/Parquet) → AMC-ready Parquet tables, ER schema mappings, Glue table inputs, report.
//
// prepare.ts runs the stages, whose folders are numbered in the order the data flows through them:
//   1-source   the input's shape (CSV dialect, header → column roles) and its bytes (CSV file, or
//              Parquet rendered as CSV by DuckDB)
//   2-chunks   chunks that end on a record boundary; records as field byte ranges (scan.ts, C twin in
//              native/csv_scan.c) or, for what the scanner leaves, as strings (parse.ts)
//   3-workers  chunks to worker threads and the main thread, row groups back in file order
//   4-rows     records → output columns: the string path, the byte path, per-field fast paths
//   5-native   whole batches of a column normalized by the C addon (native/ascii_normalize.c)
//   6-parquet  columns → SHA-256 → Parquet row groups → the file
//   7-output   DuckDB's duplicate check / collapse / split into tables, the ER and Glue inputs, the report
// types.ts holds the shapes the stages hand each other; native-addon.ts loads the optional addon.
export { PrepareError } from "./errors.ts";
export { prepare } from "./prepare.ts";
export type {
  ColumnQuality,
  ColumnRole,
  PreparedColumn,
  PreparedTable,
  PrepareOptions,
  PrepareProgress,
  PrepareReport,
  PrepareResult,
} from "./types.ts";
