import assert from "node:assert/strict";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { readParquet, withTempDir, writeCsv } from "../../test/support/prepare-files.ts";
import {
  countryCode,
  hashNormalized,
  type IdentityKind,
  neverHashed,
  normalizeValue,
} from "../normalize/index.ts";
import { CreateSchemaMappingInput } from "../schemas/entity-resolution-api.ts";
import { streamParquet } from "./1-source/parquet-source.ts";
import { parseCsv } from "./2-chunks/parse.ts";
import { emptyStats } from "./4-rows/stats.ts";
import { prepare } from "./index.ts";

const EXAMPLE = new URL("../../examples/customers.csv", import.meta.url).pathname;
const KINDS: Record<string, IdentityKind> = {
  e_mail: "EMAIL_ADDRESS",
  first_name: "NAME_FIRST",
  last_name: "NAME_LAST",
  phone: "PHONE",
  street_address: "ADDRESS",
  city: "ADDRESS_CITY",
  state: "ADDRESS_STATE",
  zip: "ADDRESS_POSTALCODE",
  country: "ADDRESS_COUNTRY",
  idfa: "MAID",
};

function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  parseCsv(text, ",", (fields) => rows.push([...fields]));
  return rows;
}

test("the example CRM file: every output value is the Amazon Ads normalized SHA-256 of its input", async () => {
  await withTempDir(async (dir) => {
    const out = join(dir, "out");
    const result = await prepare({ input: EXAMPLE, outDir: out });
    assert.equal(result.tables.length, 1);
    const table = result.tables[0]!;
    assert.equal(table.name, "customers");
    const rows = await readParquet(table.parquetPath);
    const [header, ...data] = csvRows(await readFile(EXAMPLE, "utf8"));
    const index = (name: string) =>
      header!.findIndex((h) => h.toLowerCase().replace(/[^a-z]/g, "") === name.replace(/_/g, ""));

    // Expected: first value per id and column, in first-seen order; rows without an id are dropped.
    const expected = new Map<string, Record<string, string[]>>();
    for (const raw of data) {
      const id = raw[0]!.trim();
      if (!id) continue;
      const country = countryCode(raw[index("country")]!) ?? "US";
      const entry = expected.get(id) ?? {};
      for (const [column, kind] of Object.entries(KINDS)) {
        const normalized = normalizeValue(kind, raw[index(column)], country);
        if (normalized === null) continue;
        const value = neverHashed(kind) ? normalized : hashNormalized(normalized);
        entry[column] ??= [];
        if (!entry[column].includes(value)) entry[column].push(value);
      }
      expected.set(id, entry);
    }
    for (const [id, entry] of expected) {
      if (Object.keys(entry).filter((c) => c !== "country").length === 0) expected.delete(id);
    }
    assert.deepEqual(
      rows.map((r) => r.customer_id),
      [...expected.keys()],
      "one row per id, in first-seen order",
    );
    for (const row of rows) {
      const want = expected.get(row.customer_id!)!;
      for (const column of Object.keys(KINDS)) {
        assert.equal(row[column], want[column]?.[0] ?? null, `${row.customer_id} ${column}`);
        assert.equal(row[`${column}_2`] ?? null, want[column]?.[1] ?? null, `${row.customer_id} ${column}_2`);
      }
    }
    const jane = rows.find((r) => r.customer_id === "C-1001")!;
    assert.notEqual(jane.e_mail_2, null, "the second email of a repeated id lands in e_mail_2");
    assert.equal(jane.idfa, "6d92078a-8246-4ba4-ae5b-76104861e7dc", "MAID kept raw (trimmed, lowercased)");
  });
});

test("schema mapping, Glue input and Parquet agree on lowercase column names; hashed flags are right", async () => {
  await withTempDir(async (dir) => {
    const result = await prepare({
      input: EXAMPLE,
      outDir: join(dir, "out"),
      glueDatabase: "crm",
      s3Prefix: "s3://b/p",
    });
    const table = result.tables[0]!;
    const mapping = CreateSchemaMappingInput.parse(
      JSON.parse(await readFile(table.schemaMappingPath, "utf8")),
    );
    const glue = JSON.parse(await readFile(table.glueTableInputPath, "utf8"));
    const parquetColumns = Object.keys((await readParquet(table.parquetPath))[0]!);
    const glueColumns = glue.StorageDescriptor
      ? []
      : glue.TableInput.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name);
    assert.deepEqual(glueColumns, parquetColumns, "Glue columns = Parquet columns, in order");
    assert.deepEqual(
      mapping.mappedInputFields.map((f) => f.fieldName),
      parquetColumns,
      "schema mapping fields = columns",
    );
    for (const name of parquetColumns) assert.equal(name, name.toLowerCase(), `${name} is lowercase`);
    assert.ok(parquetColumns.length <= 25, "at most 25 columns");
    assert.deepEqual(mapping.mappedInputFields[0], { fieldName: "customer_id", type: "UNIQUE_ID" });
    const byName = new Map(mapping.mappedInputFields.map((f) => [f.fieldName, f]));
    assert.deepEqual(byName.get("e_mail"), {
      fieldName: "e_mail",
      type: "EMAIL_ADDRESS",
      matchKey: "Email",
      hashed: true,
    });
    assert.deepEqual(byName.get("e_mail_2"), {
      fieldName: "e_mail_2",
      type: "EMAIL_ADDRESS",
      matchKey: "Email",
      hashed: true,
    });
    assert.deepEqual(byName.get("idfa"), {
      fieldName: "idfa",
      type: "STRING",
      matchKey: "MAID",
      hashed: false,
    });
    assert.equal(byName.get("zip")?.matchKey, "Postal");
    assert.equal(glue.DatabaseName, "crm");
    assert.equal(glue.TableInput.Name, "customers");
    assert.equal(glue.TableInput.TableType, "EXTERNAL_TABLE");
    assert.equal(glue.TableInput.Parameters.classification, "parquet");
    assert.equal(glue.TableInput.StorageDescriptor.Location, "s3://b/p/customers/");
    assert.match(glue.TableInput.StorageDescriptor.SerdeInfo.SerializationLibrary, /ParquetHiveSerDe/);
    assert.ok(
      glueColumns.every(
        (_: string, i: number) => glue.TableInput.StorageDescriptor.Columns[i].Type === "string",
      ),
    );
  });
});

test("--no-hash writes normalized values and hashed:false", async () => {
  await withTempDir(async (dir) => {
    const result = await prepare({ input: EXAMPLE, outDir: join(dir, "out"), hash: false });
    const rows = await readParquet(result.tables[0]!.parquetPath);
    const bob = rows.find((r) => r.customer_id === "C-1002")!;
    assert.equal(bob.e_mail, "bob.stone@example.org");
    assert.equal(bob.phone, "12125550199");
    assert.equal(bob.street_address, "100nmainst");
    assert.equal(bob.state, "ny");
    assert.equal(bob.country, "us");
    const mapping = JSON.parse(await readFile(result.tables[0]!.schemaMappingPath, "utf8"));
    for (const field of mapping.mappedInputFields.slice(1))
      assert.equal(field.hashed, false, field.fieldName);
  });
});

test("the report counts, names roles, and never contains a raw or normalized value", async () => {
  await withTempDir(async (dir) => {
    const result = await prepare({ input: EXAMPLE, outDir: join(dir, "out"), hash: false });
    const report = result.report;
    assert.equal(report.rowsIn, 16);
    assert.equal(report.dropped.missingId, 1);
    assert.deepEqual(report.dropped.firstMissingIdRows, [14], "the header is row 1");
    assert.equal(report.dropped.noIdentityValues, 1, "a row with only a country is dropped");
    assert.equal(report.duplicates.ids, 1);
    assert.equal(report.duplicates.collapsedIds, 1);
    assert.equal(report.rowsOut, 13);
    const email = report.columns.find((c) => c.column === "e_mail")!;
    assert.deepEqual(
      [email.invalid, email.preHashed],
      [2, 1],
      "'not-an-email' and 'quoted,comma@…' are invalid",
    );
    assert.equal(report.roles.find((r) => r.source === "Customer ID")?.role, "UNIQUE_ID");
    assert.equal(report.countries.DE, 1);

    const json = await readFile(result.reportPath, "utf8");
    const html = await readFile(result.reportHtmlPath, "utf8");
    const raw = csvRows(await readFile(EXAMPLE, "utf8"))
      .slice(1)
      .flat();
    const outputs = (await readParquet(result.tables[0]!.parquetPath)).flatMap((r) => Object.values(r));
    for (const value of [...raw, ...outputs]) {
      if (value === null || value.trim().length < 4 || /^(US|USA|UK)$/i.test(value.trim())) continue;
      assert.ok(!json.includes(value.trim()), `report.json leaks a value of length ${value.trim().length}`);
      assert.ok(!html.includes(value.trim()), `report.html leaks a value of length ${value.trim().length}`);
    }
  });
});

test("febrl4: leading-space headers, rec_id id, street number + address lines joined, Australian states", async () => {
  await withTempDir(async (dir) => {
    const result = await prepare({
      input: "/work/shared/data/febrl4/dataset4a.csv",
      outDir: join(dir, "out"),
      country: "AU",
      hash: false,
    });
    const report = result.report;
    assert.equal(report.rowsIn, 5000);
    assert.equal(report.rowsOut, 5000);
    assert.deepEqual(
      result.tables[0]!.columns.map((c) => `${c.name}:${c.type}`),
      [
        "given_name:NAME_FIRST",
        "surname:NAME_LAST",
        "address:ADDRESS",
        "suburb:ADDRESS_CITY",
        "postcode:ADDRESS_POSTALCODE",
        "state:ADDRESS_STATE",
      ],
    );
    assert.deepEqual(
      report.roles.filter((r) => r.role === "IGNORED").map((r) => r.source),
      ["date_of_birth", "soc_sec_id"],
    );
    const first = (await readParquet(result.tables[0]!.parquetPath))[0]!;
    assert.deepEqual(first, {
      rec_id: "rec-1070-org",
      given_name: "michaela",
      surname: "neumann",
      address: "8stanleystmiami",
      suburb: "winstonhills",
      postcode: "4223",
      state: "nsw",
    });
  });
});

test("Parquet input gives the same tables as the CSV it came from", async () => {
  await withTempDir(async (dir) => {
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const parquet = join(dir, "customers.parquet");
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      await connection.run(
        `COPY (SELECT * FROM read_csv($1, all_varchar = true)) TO '${parquet.replaceAll("'", "''")}' (FORMAT parquet)`,
        [EXAMPLE],
      );
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    const fromCsv = await prepare({ input: EXAMPLE, outDir: join(dir, "a") });
    const fromParquet = await prepare({ input: parquet, outDir: join(dir, "b") });
    assert.equal(fromParquet.report.input.format, "parquet");
    assert.deepEqual(
      await readParquet(fromParquet.tables[0]!.parquetPath),
      await readParquet(fromCsv.tables[0]!.parquetPath),
    );
  });
});

test("worker threads and small chunks give the same output as one thread", async () => {
  await withTempDir(async (dir) => {
    const lines = ["id;email;phone;first name;zip"];
    for (let i = 0; i < 3000; i++) {
      lines.push(
        `U${i % 2900};"user.${i}@Example.com";(212) 555-${String(i % 10000).padStart(4, "0")};"Zoë;${i % 13}";${10000 + i}`,
      );
    }
    const input = await writeCsv(dir, "users.csv", `${lines.join("\r\n")}\r\n`);
    const inline = await prepare({ input, outDir: join(dir, "a"), workers: 0, chunkBytes: 4096 });
    const threaded = await prepare({ input, outDir: join(dir, "b"), workers: 2, chunkBytes: 4096 });
    assert.equal(inline.report.rowsIn, 3000);
    assert.equal(inline.report.input.delimiter, ";");
    assert.deepEqual(threaded.report.columns, inline.report.columns);
    assert.deepEqual(
      await readParquet(threaded.tables[0]!.parquetPath),
      await readParquet(inline.tables[0]!.parquetPath),
    );
  });
});

test("ids in ascending order prove uniqueness without counting; a repeat anywhere, even across chunks, is counted", async () => {
  await withTempDir(async (dir) => {
    const file = async (name: string, ids: string[]) =>
      writeCsv(dir, name, `id,email\n${ids.map((id, i) => `${id},u${i}@example.com`).join("\n")}\n`);
    // C9 < C10: shorter first, so plain customer numbers ascend as they do in an export ordered by them.
    const ascending = Array.from({ length: 400 }, (_, i) => `C${i}`);
    for (const workers of [0, 2]) {
      const options = { workers, chunkBytes: 512 };
      const sorted = await prepare({
        input: await file("sorted.csv", ascending),
        outDir: join(dir, `s${workers}`),
        ...options,
      });
      assert.equal(sorted.report.duplicates.checkedBy, "ascending");
      assert.equal(sorted.report.duplicates.ids, 0);

      const shuffled = [...ascending.slice(200), ...ascending.slice(0, 200)];
      const unsorted = await prepare({
        input: await file("unsorted.csv", shuffled),
        outDir: join(dir, `u${workers}`),
        ...options,
      });
      assert.deepEqual(
        [unsorted.report.duplicates.checkedBy, unsorted.report.duplicates.ids],
        ["counted", 0],
      );

      // The same id on two neighbouring rows, and one id again much later (in another chunk).
      for (const [index, ids] of [
        [...ascending.slice(0, 100), "C99", ...ascending.slice(100)],
        [...ascending, "C399"],
      ].entries()) {
        const repeated = await prepare({
          input: await file(`repeat${index}.csv`, ids),
          outDir: join(dir, `r${workers}${index}`),
          ...options,
        });
        assert.deepEqual(
          [repeated.report.duplicates.checkedBy, repeated.report.duplicates.ids],
          ["counted", 1],
          `case ${index}`,
        );
        assert.equal(repeated.report.rowsOut, 400);
      }
    }
  });
});

test("Parquet input through the pipe and through the fallback gives what the same rows as CSV give", async () => {
  await withTempDir(async (dir) => {
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const rows = [
      ["C1", "Jane.Doe@Example.com", "Zoë", "O'Neil", "+1 (212) 555-0100", '12 "Main" St, Apt 4', 10001],
      ["C2", null, "José", "García", "212.555.0101", "7 Oak Ave\nFloor 2", 94105],
      ["C3", "bob@x.co", "", "Lee", null, "", null],
      ["C4", " ANNE@EXAMPLE.COM ", "Anne-Marie", "Müller", "2125550102", "1 Pine Road", 60601],
    ];
    const header = ["id", "email", "first_name", "last_name", "phone", "address", "zip"];
    const csvField = (value: unknown) =>
      value === null
        ? ""
        : /[",\n]/.test(String(value))
          ? `"${String(value).replaceAll('"', '""')}"`
          : String(value);
    const csv = await writeCsv(
      dir,
      "people.csv",
      `${[header, ...rows].map((r) => r.map(csvField).join(",")).join("\n")}\n`,
    );
    const parquet = join(dir, "people.parquet");
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      // zip as an INTEGER column: Parquet types other than text come through as their text.
      await connection.run(
        `COPY (SELECT * EXCLUDE (zip), TRY_CAST(zip AS INTEGER) AS zip FROM read_csv($1, all_varchar = true)) TO '${parquet.replaceAll("'", "''")}' (FORMAT parquet)`,
        [csv],
      );
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    const fromCsv = await prepare({ input: csv, outDir: join(dir, "csv") });
    const expected = await readParquet(fromCsv.tables[0]!.parquetPath);
    for (const viaPipe of [true, false]) {
      if (!viaPipe) process.env.IDBRIDGE_NO_PIPE = "1";
      try {
        const fromParquet = await prepare({ input: parquet, outDir: join(dir, `parquet-${viaPipe}`) });
        assert.deepEqual(await readParquet(fromParquet.tables[0]!.parquetPath), expected, `pipe: ${viaPipe}`);
        assert.deepEqual(fromParquet.report.columns, fromCsv.report.columns, `pipe: ${viaPipe}`);
      } finally {
        delete process.env.IDBRIDGE_NO_PIPE;
      }
    }
  });
});

// A regression here would wait forever on the pipe: the timeout turns it into a failure.
test("a Parquet file DuckDB cannot read fails cleanly instead of leaving the pipe waiting", {
  timeout: 30_000,
}, async () => {
  await withTempDir(async (dir) => {
    const fake = await writeCsv(dir, "fake.parquet", "PAR1 but not really parquet at all");
    const scratch = join(dir, "scratch");
    await mkdir(scratch);
    const target = { writer: null as never, stats: emptyStats(1), onChunk: () => undefined };
    const plan = {
      idIndex: 0,
      countryIndex: -1,
      identity: [{ kind: "EMAIL_ADDRESS" as const, sources: [1] }],
      fieldCount: 2,
      hash: true,
      country: "US",
    };
    await assert.rejects(streamParquet(fake, "fake.parquet", plan, target, scratch), /parquet|magic|file/i);
  });
});
