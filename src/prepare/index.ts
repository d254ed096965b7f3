// prepare: CRM export (CSV/Parquet) → AMC-ready Parquet tables, ER schema mappings, Glue table inputs, report.
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
