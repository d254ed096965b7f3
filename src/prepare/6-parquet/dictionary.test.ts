import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { readParquet, withTempDir, writeCsv } from "../../../test/support/prepare-files.ts";
import { prepare } from "../prepare.ts";
import { type ColumnEncoding, encodeRowGroup, type OutputColumn } from "./column-chunk.ts";
import { DictionaryColumn } from "./dictionary-column.ts";
import { ParquetFileWriter } from "./parquet-file-writer.ts";
import { StringColumn } from "./string-column.ts";

function fill<T extends OutputColumn>(column: T, values: Array<string | null>): T {
  for (const v of values) v === null ? column.appendNull() : column.append(v);
  return column;
}

async function query(sql: string, params: string[]): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql, params)).getRows();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

// Each case: one column's values per row group. Covers nulls, one distinct value (an RLE run), all
// nulls, index widths 1..17 bits (72,727 distinct values overflow the dictionary: PLAIN fallback).
const CASES: Record<string, Array<Array<string | null>>> = {
  mixed: [["a", null, "b", "a", "é", null, "b", "a", "c", "zz"], ["x"]],
  constant: [Array.from({ length: 1000 }, () => "US")],
  nulls: [
    [null, null, null],
    ["us", null, "us"],
  ],
  widths: [Array.from({ length: 3000 }, (_, i) => `v${(i * 7919) % 2500}`)],
  overflow: [Array.from({ length: 80_000 }, (_, i) => (i % 11 === 0 ? null : `n${i}`))],
};

for (const sha256 of [true, false]) {
  test(`dictionary-encoded columns read back in DuckDB exactly like PLAIN ones (sha256: ${sha256})`, async () => {
    await withTempDir(async (dir) => {
      for (const [name, groups] of Object.entries(CASES)) {
        const paths: string[] = [];
        for (const dictionary of [true, false]) {
          const path = join(dir, `${name}-${dictionary}.parquet`);
          const writer = await ParquetFileWriter.create(path, ["id", "v"], [true, false]);
          const encodings: ColumnEncoding[] = [
            { required: true, sha256: false },
            { required: false, sha256 },
          ];
          for (const [g, values] of groups.entries()) {
            const ids = fill(
              new StringColumn(),
              values.map((_, i) => `${g}-${i}`),
            );
            const column = fill(dictionary ? new DictionaryColumn() : new StringColumn(), values);
            await writer.write(encodeRowGroup([ids, column], encodings));
          }
          await writer.close();
          paths.push(path);
        }
        const [dictionaryPath, plainPath] = paths as [string, string];
        const read = (path: string) => query("SELECT id, v FROM read_parquet($1)", [path]);
        const rows = await read(dictionaryPath);
        assert.equal(rows.length, groups.flat().length, name);
        assert.deepEqual(rows, await read(plainPath), name);
        const encodings = await query(
          "SELECT DISTINCT encodings FROM parquet_metadata($1) WHERE path_in_schema = 'v'",
          [dictionaryPath],
        );
        if (name !== "overflow") assert.match(String(encodings), /RLE_DICTIONARY/, name);
        else assert.doesNotMatch(String(encodings), /DICTIONARY/, name);
      }
    });
  });
}

test("a dropped row's dictionary value leaves no trace in the column", async () => {
  const column = fill(new DictionaryColumn(), ["a", "b"]);
  column.append("dropped");
  column.appendNull();
  column.truncate(2);
  column.append("a");
  assert.deepEqual([column.count, column.nulls], [3, 0]);
  const plain = column.plain();
  assert.deepEqual(
    [0, 1, 2].map((i) => plain.bytes.toString("utf8", plain.start(i), plain.ends[i])),
    ["a", "b", "a"],
  );
});

test("prepare writes the same Parquet content with and without dictionary encoding, inline and threaded", async () => {
  await withTempDir(async (dir) => {
    const lines = ["id,email,first_name,last_name,city,state,country"];
    const first = ["José", "Anne-Marie", "", "Zoë", "MÜLLER"];
    const states = ["Texas", "CA", "ny", "", "Bavaria"];
    const countries = ["US", "us", "United States", "", "DE", "GB"];
    for (let i = 0; i < 4000; i++) {
      lines.push(
        [
          i % 97 === 0 ? "" : `C${i}`,
          i % 5 === 0 ? "" : `User.${i}@Example.com`,
          first[i % first.length],
          `Smith${i % 3}`,
          i % 7 === 0 ? "" : `City ${i % 4}`,
          states[i % states.length],
          countries[i % countries.length],
        ].join(","),
      );
    }
    const input = await writeCsv(dir, "crm.csv", `${lines.join("\n")}\n`);
    for (const hash of [true, false]) {
      const runs = [];
      for (const [dictionary, workers] of [
        [false, 0],
        [true, 0],
        [true, 2],
      ] as const) {
        runs.push(
          await prepare({
            input,
            outDir: join(dir, `${hash}-${dictionary}-${workers}`),
            hash,
            dictionary,
            workers,
            chunkBytes: 8192,
          }),
        );
      }
      const [plain, ...dictionaryRuns] = runs;
      const expected = await readParquet(plain!.tables[0]!.parquetPath);
      assert.ok(expected.length > 3900);
      for (const run of dictionaryRuns) {
        assert.deepEqual(await readParquet(run.tables[0]!.parquetPath), expected);
        assert.deepEqual(run.report.columns, plain!.report.columns);
      }
    }
  });
});
