import type { IdentityKind } from "../../normalize/index.ts";
import type { ChunkStats, ColumnPlan, InputShape, PreparedTable, PrepareReport } from "../types.ts";
import type { shapeTables } from "./tables.ts";

/** The data-quality report: counts, rates, roles and table names — never a value from the input. */
export function buildReport(parts: {
  input: string;
  shape: InputShape;
  size: number;
  country: string;
  hash: boolean;
  tableName: string;
  plan: ColumnPlan;
  stats: ChunkStats;
  shaped: Awaited<ReturnType<typeof shapeTables>>;
  tables: PreparedTable[];
  seconds: number;
  phases: PrepareReport["phases"];
}): PrepareReport {
  const { stats, plan, shaped, tables } = parts;
  const withId = stats.rowsIn - stats.missingId;
  const columns = plan.identity.map((c, i) => ({
    column: c.name,
    source: c.sources.map((s) => parts.shape.header[s]!.trim()).join(" + "),
    kind: c.kind,
    filled: stats.filled[i]!,
    fillRate: withId === 0 ? 0 : stats.filled[i]! / withId,
    empty: stats.empty[i]!,
    invalid: stats.invalid[i]!,
    preHashed: stats.preHashed[i]!,
  }));
  const rowsOut = Math.max(0, ...tables.map((t) => t.rows));
  const warnings: string[] = [];
  if (tables.length > 1) {
    warnings.push(
      `split into ${tables.length} tables (max 24 identity columns each); each needs its own schema mapping and ID namespace association`,
    );
  }
  if (shaped.duplicates.ids > 0)
    warnings.push(
      `ids on several rows: ${shaped.duplicates.ids}; their rows were collapsed into extra columns (email_2, …)`,
    );
  if (shaped.duplicates.valuesOverCap > 0)
    warnings.push(`values beyond 25 per column and id, dropped: ${shaped.duplicates.valuesOverCap}`);
  for (const c of columns) {
    const bad = c.filled + c.invalid === 0 ? 0 : c.invalid / (c.filled + c.invalid);
    if (bad > 0.2)
      warnings.push(
        `${c.column}: ${(bad * 100).toFixed(0)}% of the values present are invalid for ${c.kind}`,
      );
  }
  const kinds = new Set(plan.identity.map((c) => c.kind as IdentityKind));
  if (!kinds.has("EMAIL_ADDRESS") && !kinds.has("PHONE") && !kinds.has("ADDRESS") && !kinds.has("MAID")) {
    warnings.push("no email, phone, address or MAID column: matches will rest on names and places only");
  }
  return {
    input: {
      path: parts.input,
      format: parts.shape.format,
      bytes: parts.size,
      delimiter: parts.shape.delimiter,
      bom: parts.shape.bom,
    },
    options: { country: parts.country, hash: parts.hash, tableName: parts.tableName },
    rowsIn: stats.rowsIn,
    rowsOut,
    dropped: {
      missingId: stats.missingId,
      noIdentityValues: stats.noIdentityValues,
      firstMissingIdRows: stats.firstMissingIdRows,
    },
    duplicates: shaped.duplicates,
    columns,
    roles: plan.roles,
    countries: stats.countries,
    tables: tables.map((t) => ({
      name: t.name,
      rows: t.rows,
      columns: [plan.idName, ...t.columns.map((c) => c.name)],
    })),
    warnings,
    seconds: parts.seconds,
    phases: parts.phases,
    rowsPerSecond: Math.round(stats.rowsIn / Math.max(parts.seconds, 1e-9)),
  };
}
