import { rename } from "node:fs/promises";
import { join } from "node:path";
import type { DuckDBInstance } from "@duckdb/node-api";
import type { IdentityKind } from "../../normalize/index.ts";
import { PrepareError } from "../errors.ts";
import type { PreparedColumn, PrepareReport } from "../types.ts";
import { preparedColumn } from "./artifacts.ts";

// The AMC identity route's limits: 1 unique id + 24 identity columns per schema mapping (ER's API itself
// allows 35 input fields, botocore entityresolution SchemaInputAttributes); ER reads at most 25 rows per
// unique id; 5 ID mapping tables per AMC instance. The local AMC holds the same column and table limits
// (src/cloud/amc/local.ts).
export const MAX_IDENTITY_COLUMNS = 24;
export const MAX_ROWS_PER_ID = 25;
export const MAX_TABLES = 5;
/** Distinct values kept per column when collapsing an id's rows: the 25 ER would have read as rows. */
export const MAX_VARIANTS = MAX_ROWS_PER_ID;

/** Tables needed for `identityColumns` output columns, 24 to a table. */
export function tablesNeeded(identityColumns: number): number {
  return Math.ceil(identityColumns / MAX_IDENTITY_COLUMNS);
}

/**
 * Refuses data that needs more than AMC's 5 tables. Collapsing duplicate ids only ever adds columns
 * (email_2, …), so the identity columns of the header (or a Parquet schema) already decide it: called
 * before any row is read, and again after collapsing. DuckDB's grouping aggregate dies with SIGFPE at
 * ~10,000 list columns, so nothing wider than this limit may reach it.
 */
export function refuseTooWide(identityColumns: number, fileName: string, afterCollapse = false): void {
  const tables = tablesNeeded(identityColumns);
  if (tables <= MAX_TABLES) return;
  throw new PrepareError(
    afterCollapse
      ? `${fileName}: the data needs ${identityColumns} identity columns after collapsing duplicate ids, i.e. ${tables} tables; ` +
          `AMC allows ${MAX_TABLES} ID mapping tables per instance`
      : `${fileName}: the header has ${identityColumns} identity columns, which need ${tables} tables of ${MAX_IDENTITY_COLUMNS}; ` +
          `AMC allows ${MAX_TABLES} ID mapping tables per instance (at most ${MAX_TABLES * MAX_IDENTITY_COLUMNS} identity columns)`,
    afterCollapse
      ? "drop columns you do not need with --map '<column>=IGNORE', or fix ids that many rows share (see report duplicates)"
      : "drop columns you do not need with --map '<column>=IGNORE', or split the file into several inputs by column",
  );
}

export interface TableSpec {
  name: string;
  file: string;
  columns: PreparedColumn[];
  rows: number;
}

export interface ShapeInput {
  rowsPath: string;
  rowsWritten: number;
  stagingDir: string;
  tableName: string;
  /** The input as the user named it, for errors. */
  fileName: string;
  idName: string;
  identity: Array<{ name: string; kind: IdentityKind }>;
  hash: boolean;
  /** The ids came in strictly ascending order (ChunkStats.idsAscending): they are unique, no need to count. */
  idsAscending?: boolean;
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * Turns the row-level Parquet into AMC tables: one row per id (rows sharing an id collapse into
 * email, email_2, …) and at most 24 identity columns per table (wider data splits into name_1, name_2, …,
 * each carrying the id). The common case — unique ids, ≤24 columns — is a rename.
 */
export async function shapeTables(
  input: ShapeInput,
): Promise<{ tables: TableSpec[]; duplicates: PrepareReport["duplicates"] }> {
  refuseTooWide(input.identity.length, input.fileName);
  if (input.idsAscending && input.identity.length <= MAX_IDENTITY_COLUMNS) {
    const duplicates = {
      ids: 0,
      rows: 0,
      maxRowsPerId: 1,
      idsOverRowLimit: 0,
      collapsedIds: 0,
      valuesOverCap: 0,
    };
    return { tables: [await singleTable(input)], duplicates: { ...duplicates, checkedBy: "ascending" } };
  }
  // Loaded only here: ids that ascend (the usual export) never need DuckDB, whose load costs ~0.5 s of CPU.
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:", {
    temp_directory: join(input.stagingDir, "duckdb-tmp"),
    memory_limit: "1GB",
  });
  const connection = await instance.connect();
  try {
    const counts = await connection.runAndReadAll(
      `SELECT count(*) FILTER (WHERE n > 1), coalesce(sum(n) FILTER (WHERE n > 1), 0), coalesce(max(n), 0),
              count(*) FILTER (WHERE n > ${MAX_ROWS_PER_ID})
       FROM (SELECT count(*) AS n FROM read_parquet($1) GROUP BY ${quote(input.idName)})`,
      [input.rowsPath],
    );
    const [dupIds, dupRows, maxRows, overLimit] = (counts.getRows()[0] ?? []).map((v) => Number(v));
    const duplicates: PrepareReport["duplicates"] = {
      ids: dupIds ?? 0,
      rows: dupRows ?? 0,
      maxRowsPerId: maxRows ?? 0,
      idsOverRowLimit: overLimit ?? 0,
      collapsedIds: 0,
      valuesOverCap: 0,
      checkedBy: "counted",
    };
    if (duplicates.ids === 0 && input.identity.length <= MAX_IDENTITY_COLUMNS) {
      return { tables: [await singleTable(input)], duplicates };
    }
    return await collapseAndSplit(connection, input, duplicates);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Unique ids, ≤24 identity columns: the row-level file is the table. */
async function singleTable(input: ShapeInput): Promise<TableSpec> {
  const file = join(input.stagingDir, `${input.tableName}.parquet`);
  await rename(input.rowsPath, file);
  const columns = input.identity.map((c) => preparedColumn(c.name, c.kind, input.hash));
  return { name: input.tableName, file, columns, rows: input.rowsWritten };
}

async function collapseAndSplit(
  connection: Awaited<ReturnType<DuckDBInstance["connect"]>>,
  input: ShapeInput,
  duplicates: PrepareReport["duplicates"],
): Promise<{ tables: TableSpec[]; duplicates: PrepareReport["duplicates"] }> {
  const id = quote(input.idName);
  const lists = input.identity.map(
    (c, i) =>
      `list(${quote(c.name)} ORDER BY file_row_number) FILTER (WHERE ${quote(c.name)} IS NOT NULL) AS l${i}`,
  );
  // Distinct values in first-seen order: keep an element only at its first position.
  const distinct = input.identity.map(
    (_, i) => `list_filter(l${i}, lambda x, i: list_position(l${i}, x) = i) AS d${i}`,
  );
  await connection.run(
    `CREATE TEMP TABLE collapsed AS SELECT id, rn, ${distinct.join(", ")} FROM (
       SELECT ${id} AS id, min(file_row_number) AS rn, ${lists.join(", ")}
       FROM read_parquet($1, file_row_number = true) GROUP BY ${id})`,
    [input.rowsPath],
  );
  const widths = input.identity.flatMap((_, i) => [
    `coalesce(max(len(d${i})), 0)`,
    `coalesce(sum(greatest(len(d${i}) - ${MAX_VARIANTS}, 0)), 0)`,
  ]);
  const measured =
    (await connection.runAndReadAll(`SELECT ${widths.join(", ")} FROM collapsed`)).getRows()[0] ?? [];
  duplicates.collapsedIds = duplicates.ids;

  const taken = new Set([input.idName, ...input.identity.map((c) => c.name)]);
  const outputs: Array<{ column: PreparedColumn; expression: string }> = [];
  input.identity.forEach((c, i) => {
    const variants = Math.max(1, Math.min(Number(measured[i * 2] ?? 0), MAX_VARIANTS));
    duplicates.valuesOverCap += Number(measured[i * 2 + 1] ?? 0);
    for (let v = 1; v <= variants; v++) {
      let name = c.name;
      if (v > 1) {
        name = `${c.name}_${v}`;
        for (let n = 2; taken.has(name); n++) name = `${c.name}_${v}_${n}`;
        taken.add(name);
      }
      outputs.push({ column: preparedColumn(name, c.kind, input.hash), expression: `d${i}[${v}]` });
    }
  });

  const groups: (typeof outputs)[] = [];
  for (let start = 0; start < outputs.length; start += MAX_IDENTITY_COLUMNS) {
    groups.push(outputs.slice(start, start + MAX_IDENTITY_COLUMNS));
  }
  refuseTooWide(outputs.length, input.fileName, true);
  const tables: TableSpec[] = [];
  for (const [index, group] of groups.entries()) {
    const name = groups.length === 1 ? input.tableName : `${input.tableName}_${index + 1}`;
    const file = join(input.stagingDir, `${name}.parquet`);
    const select = group.map((o) => `${o.expression} AS ${quote(o.column.name)}`).join(", ");
    const anyValue = group.map((o) => `${o.expression} IS NOT NULL`).join(" OR ");
    const copied = await connection.runAndReadAll(
      `COPY (SELECT id AS ${id}, ${select} FROM collapsed WHERE ${anyValue} ORDER BY rn) TO ${literal(file)} (FORMAT parquet)`,
    );
    const rows = Number(copied.getRows()[0]?.[0] ?? 0);
    tables.push({ name, file, columns: group.map((o) => o.column), rows });
  }
  return { tables, duplicates };
}
