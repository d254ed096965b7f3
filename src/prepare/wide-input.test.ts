import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { filesIn, withTempDir, writeCsv } from "../../test/support/prepare-files.ts";
import { PrepareError, prepare } from "./index.ts";

const SECRET = "Zebediah.Quux@example.com";
const BIN = new URL("../../bin/idbridge.mjs", import.meta.url).pathname;

/** `rows` rows of a customer id and `columns` email columns. */
function wideCsv(columns: number, rows: number): string {
  const header = ["customer_id", ...Array.from({ length: columns }, (_, i) => `email${i + 1}`)].join(",");
  const lines = Array.from({ length: rows }, (_, r) =>
    [
      `C${r}`,
      ...Array.from({ length: columns }, (_, i) => (i === 0 ? SECRET : `u${r}x${i}@example.com`)),
    ].join(","),
  );
  return `${header}\n${lines.join("\n")}\n`;
}

test("a CSV wider than 5 tables is refused from its header, naming the tables it would need", async () => {
  await withTempDir(async (dir) => {
    for (const [columns, tables] of [
      [121, 6],
      [1000, 42],
    ] as const) {
      const input = await writeCsv(dir, `wide${columns}.csv`, wideCsv(columns, 20));
      const out = join(dir, `out${columns}`);
      const error = await prepare({ input, outDir: out }).then(
        () => assert.fail("expected a refusal"),
        (e: unknown) => e,
      );
      assert.ok(error instanceof PrepareError, `a PrepareError, got ${String(error)}`);
      assert.match(
        error.message,
        new RegExp(
          `the header has ${columns} identity columns, which need ${tables} tables of 24; AMC allows 5`,
        ),
      );
      assert.match(error.hint ?? "", /--map '<column>=IGNORE'/);
      assert.ok(!`${error.message} ${error.hint}`.includes(SECRET), "never quotes a value");
      assert.deepEqual(await filesIn(out), [], "no --out folder, no staging");
    }
    // 120 identity columns fit five tables: not refused from the header.
    const fits = await writeCsv(dir, "fits.csv", wideCsv(120, 3));
    const result = await prepare({ input: fits, outDir: join(dir, "fits") });
    assert.equal(result.tables.length, 5);
  });
});

test("a Parquet file wider than 5 tables is refused from its schema", async () => {
  await withTempDir(async (dir) => {
    const input = join(dir, "wide.parquet");
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      const columns = Array.from({ length: 300 }, (_, i) => `'u${i}@example.com' AS email${i + 1}`);
      await connection.run(
        `COPY (SELECT 'C' || i AS customer_id, ${columns.join(", ")} FROM range(20) t(i)) TO '${input}' (FORMAT parquet)`,
      );
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    const out = join(dir, "out");
    await assert.rejects(
      prepare({ input, outDir: out }),
      (e) =>
        e instanceof PrepareError &&
        /the header has 300 identity columns, which need 13 tables/.test(e.message),
    );
    assert.deepEqual(await filesIn(out), []);
  });
});

// 10,000 columns used to reach DuckDB's grouping aggregate, which died with SIGFPE (exit 136, no message).
test("the CLI refuses 10,000 email columns with a message and exit 1", async () => {
  await withTempDir(async (dir) => {
    const input = await writeCsv(dir, "wide.csv", wideCsv(10_000, 5));
    const out = join(dir, "out");
    const failure = await promisify(execFile)(process.execPath, [BIN, "prepare", input, "--out", out]).then(
      () => assert.fail("expected a non-zero exit"),
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(failure.code, 1);
    assert.match(failure.stderr, /wide\.csv: the header has 10000 identity columns, which need 417 tables/);
    assert.match(failure.stderr, /hint: /);
    assert.ok(!failure.stderr.includes(SECRET));
    assert.deepEqual(await filesIn(out), []);
  });
});
