import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { filesIn, withTempDir, writeCsv } from "../../test/support/prepare-files.ts";
import { PrepareError, prepare } from "./index.ts";

const SECRET = "Zebediah.Quux@example.com";

async function expectError(
  input: string | Buffer,
  pattern: RegExp,
  options: { map?: Record<string, string>; idColumn?: string; name?: string; raw?: boolean } = {},
): Promise<void> {
  await withTempDir(async (dir) => {
    const path = options.raw ? (input as string) : await writeCsv(dir, options.name ?? "in.csv", input);
    const out = join(dir, "out");
    const error = await prepare({
      input: path,
      outDir: out,
      map: options.map,
      idColumn: options.idColumn,
    }).then(
      () => assert.fail("expected an error"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof PrepareError, `a PrepareError, got ${String(error)}`);
    assert.match(error.message, pattern);
    assert.ok(error.hint && error.hint.length > 10, "says what to do");
    assert.ok(!`${error.message} ${error.hint}`.includes(SECRET), "never quotes a value");
    assert.deepEqual(await filesIn(out), [], "nothing left in --out");
  });
}

test("missing file", async () => {
  await expectError("/nonexistent/crm.csv", /crm\.csv: no such file/, { raw: true });
});

test("empty file and header without data rows", async () => {
  await expectError("", /empty/);
  await expectError("id,email\n", /no row has both an id and a usable identity value/);
});

test("UTF-16 encoded file", async () => {
  await expectError(Buffer.from(`\ufeffid,email\nC1,${SECRET}\n`, "utf16le"), /encoded as UTF-16, not UTF-8/);
});

test("invalid UTF-8 names its row", async () => {
  const latin1 = Buffer.concat([
    Buffer.from(`id,name,email\nC1,Ann,${SECRET}\nC2,`),
    Buffer.from([0x4d, 0xfc, 0x6c]),
    Buffer.from(",x@y.co\n"),
  ]);
  await expectError(latin1, /row 3 is not valid UTF-8/);
});

test("a .parquet file that is not Parquet", async () => {
  await expectError(`id,email\nC1,${SECRET}\n`, /not a readable Parquet file/, { name: "in.parquet" });
});

test("no id column", async () => {
  await expectError(`email,phone\n${SECRET},2125550100\n`, /no unique id column/);
  await expectError(`email,phone\n${SECRET},2125550100\n`, /--id-column names column 'customer'/, {
    idColumn: "customer",
  });
});

test("unmappable header, unknown type, missing mapped column, no identity columns", async () => {
  await expectError(`id,???\nC1,${SECRET}\n`, /column 2 has no letters or digits/, {
    map: { "???": "EMAIL_ADDRESS" },
  });
  await expectError(`id,contact\nC1,${SECRET}\n`, /--map contact=EMAIL_ADRESS: unknown type/, {
    map: { contact: "EMAIL_ADRESS" },
  });
  await expectError(`id,contact\nC1,${SECRET}\n`, /names column 'mail'/, { map: { mail: "EMAIL_ADDRESS" } });
  await expectError(`id,notes\nC1,${SECRET}\n`, /no identity columns recognised/);
});

test("ragged row names its row number (quoted newlines count as one row)", async () => {
  await expectError(
    `id,email,city\nC1,${SECRET},"Spring\nfield"\nC2,${SECRET}\n`,
    /row 3 has 2 fields but the header has 3/,
  );
});

test("a quote that never closes", async () => {
  await expectError(
    `id,email\nC1,${SECRET}\nC2,"${SECRET}\n`,
    /row 3 opens a quoted field that never closes/,
  );
});

test("--out that is a file", async () => {
  await withTempDir(async (dir) => {
    const input = await writeCsv(dir, "in.csv", `id,email\nC1,${SECRET}\n`);
    const out = await writeCsv(dir, "out.txt", "a file");
    await assert.rejects(
      prepare({ input, outDir: out }),
      (e) => e instanceof PrepareError && /exists and is not a directory/.test(e.message),
    );
  });
});

test("the CLI exits non-zero with file, row and a hint, and prints no value", async () => {
  await withTempDir(async (dir) => {
    const input = await writeCsv(dir, "bad.csv", `id,email\nC1,${SECRET}\nC2,${SECRET},extra\n`);
    const out = join(dir, "out");
    await mkdir(out);
    await writeFile(join(out, "keep.txt"), "not ours");
    const bin = new URL("../../bin/idbridge.mjs", import.meta.url).pathname;
    const run = promisify(execFile)(process.execPath, [bin, "prepare", input, "--out", out]);
    const failure = await run.then(
      () => assert.fail("expected a non-zero exit"),
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(failure.code, 1);
    assert.match(failure.stderr, /bad\.csv: row 3 has 3 fields but the header has 2/);
    assert.match(failure.stderr, /hint: /);
    assert.ok(!failure.stderr.includes(SECRET));
    assert.deepEqual(await filesIn(out), ["keep.txt"], "only what was there before");
  });
});

test("the CLI's --json prints the result", async () => {
  await withTempDir(async (dir) => {
    const bin = new URL("../../bin/idbridge.mjs", import.meta.url).pathname;
    const example = new URL("../../examples/customers.csv", import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, [
      bin,
      "prepare",
      example,
      "--out",
      join(dir, "o"),
      "--json",
      "--map",
      "IDFA=IGNORE",
    ]);
    const result = JSON.parse(stdout);
    assert.equal(result.tables[0].name, "customers");
    assert.ok(!result.tables[0].columns.some((c: { name: string }) => c.name === "idfa"));
    assert.equal(result.report.rowsIn, 16);
  });
});
