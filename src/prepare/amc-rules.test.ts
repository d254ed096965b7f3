import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { filesIn, readParquet, withTempDir, writeCsv } from "../../test/support/prepare-files.ts";
import { hashNormalized } from "../normalize/index.ts";
import { CreateSchemaMappingInput } from "../schemas/entity-resolution-api.ts";
import { prepare } from "./index.ts";

test("rows sharing an id collapse into email, email_2, …; at most 25 values per column and id", async () => {
  await withTempDir(async (dir) => {
    const lines = ["customer_id,email,phone"];
    for (let i = 0; i < 30; i++) lines.push(`BIG,user${i}@example.com,2125550100`); // one id on 30 rows
    lines.push("A,a1@example.com,", "A,a1@example.com,2125550111", "A,a2@example.com,", "B,b@example.com,");
    const input = await writeCsv(dir, "dups.csv", `${lines.join("\n")}\n`);
    const result = await prepare({ input, outDir: join(dir, "out"), hash: false });
    const d = result.report.duplicates;
    assert.deepEqual(
      [d.ids, d.rows, d.maxRowsPerId, d.idsOverRowLimit, d.collapsedIds, d.valuesOverCap],
      [2, 33, 30, 1, 2, 5],
      "BIG (30 rows, over ER's 25) and A (3 rows) collapse; BIG loses 5 emails over the cap",
    );
    const emailColumns = result.tables.flatMap((t) => t.columns).filter((c) => c.type === "EMAIL_ADDRESS");
    assert.equal(emailColumns.length, 25, "email … email_25");
    assert.ok(
      emailColumns.every((c) => c.matchKey === "Email"),
      "every email column keeps matchKey Email",
    );
    const rows = (await Promise.all(result.tables.map((t) => readParquet(t.parquetPath)))).map((table) =>
      Object.fromEntries(table.map((r) => [r.customer_id, r])),
    );
    const all = (id: string) => Object.assign({}, ...rows.map((t) => t[id] ?? {}));
    const a = all("A");
    assert.deepEqual([a.email, a.email_2, a.email_3 ?? null], ["a1@example.com", "a2@example.com", null]);
    assert.deepEqual([a.phone, a.phone_2 ?? null], ["12125550111", null], "nulls are not values; one phone");
    const big = all("BIG");
    assert.equal(big.email, "user0@example.com", "first seen stays first");
    assert.equal(big.email_25, "user24@example.com");
    assert.equal(big.phone, "12125550100", "the same phone on 30 rows is one value");
    assert.equal(all("B").email, "b@example.com");
    for (const t of result.tables) {
      const ids = (await readParquet(t.parquetPath)).map((r) => r.customer_id);
      assert.equal(new Set(ids).size, ids.length, `${t.name}: one row per id`);
    }
  });
});

test("more than 24 identity columns split into tables of ≤25 columns, each carrying the id", async () => {
  await withTempDir(async (dir) => {
    const header = ["id", ...Array.from({ length: 30 }, (_, i) => `email_${i + 1}`)];
    const row = (id: string) =>
      [id, ...header.slice(1).map((_, i) => `${id.toLowerCase()}.${i}@example.com`)].join(",");
    const input = await writeCsv(dir, "wide.csv", `${header.join(",")}\n${row("P1")}\n${row("P2")}\n`);
    const result = await prepare({ input, outDir: join(dir, "out"), tableName: "Wide Table" });
    assert.deepEqual(
      result.tables.map((t) => t.name),
      ["wide_table_1", "wide_table_2"],
    );
    assert.deepEqual(
      result.tables.map((t) => t.columns.length),
      [24, 6],
    );
    for (const table of result.tables) {
      const mapping = CreateSchemaMappingInput.parse(
        JSON.parse(await readFile(table.schemaMappingPath, "utf8")),
      );
      assert.equal(mapping.schemaName, table.name);
      assert.ok(mapping.mappedInputFields.length <= 25);
      assert.deepEqual(mapping.mappedInputFields[0], { fieldName: "id", type: "UNIQUE_ID" });
      const rows = await readParquet(table.parquetPath);
      assert.deepEqual(
        rows.map((r) => r.id),
        ["P1", "P2"],
        `${table.name} carries the id`,
      );
    }
    const second = await readParquet(result.tables[1]!.parquetPath);
    assert.equal(second[0]!.email_30, hashNormalized("p1.29@example.com"));
    assert.ok(result.report.warnings.some((w) => w.includes("split into 2 tables")));
  });
});

test("a table AMC would reject (more than 5 tables' worth of columns) is an error, and nothing is written", async () => {
  await withTempDir(async (dir) => {
    const header = ["id", ...Array.from({ length: 121 }, (_, i) => `phone${i}`)];
    const input = await writeCsv(
      dir,
      "huge.csv",
      `${header.join(",")}\nX,${header
        .slice(1)
        .map(() => "2125550100")
        .join(",")}\n`,
    );
    await assert.rejects(prepare({ input, outDir: join(dir, "out") }), /6 tables.*AMC allows 5/);
    assert.deepEqual(await filesIn(join(dir, "out")), []);
  });
});

test("--map and --id-column override detection; IGNORE drops a column; MAID/LRP/EXP/MKL are STRING, never hashed", async () => {
  await withTempDir(async (dir) => {
    const input = await writeCsv(
      dir,
      "ids.csv",
      "key,contact,ramp,exp_id,merkle,notes\nk1,Someone@Example.com, XY-Ramp-1 ,E1,M1,free text\n",
    );
    const result = await prepare({
      input,
      outDir: join(dir, "out"),
      idColumn: "key",
      map: { contact: "EMAIL", ramp: "LRP", exp_id: "EXP", notes: "IGNORE" },
    });
    const columns = result.tables[0]!.columns;
    assert.deepEqual(
      columns.map((c) => [c.name, c.type, c.matchKey, c.hashed]),
      [
        ["contact", "EMAIL_ADDRESS", "Email", true],
        ["ramp", "STRING", "LRP", false],
        ["exp_id", "STRING", "EXP", false],
        ["merkle", "STRING", "MKL", false],
      ],
    );
    const [row] = await readParquet(result.tables[0]!.parquetPath);
    assert.deepEqual(row, {
      key: "k1",
      contact: hashNormalized("someone@example.com"),
      ramp: "xy-ramp-1",
      exp_id: "e1",
      merkle: "m1",
    });
    assert.equal(result.report.roles.find((r) => r.source === "notes")?.detectedBy, "map");
  });
});
