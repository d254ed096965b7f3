import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import type { CreateSchemaMappingInput } from "../schemas/entity-resolution-api.ts";
import { runIdMapping } from "./index.ts";

// The engine's plan (rule-by-rule joins straight from the target files) checked against the plain SQL
// waterfall a data engineer would write: one join per rule over the same Parquet files, sources mapped
// by an earlier rule left out, the smallest target id per source.

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "idbridge-match-ref-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const FIELDS: Array<[string, CreateSchemaMappingInput["mappedInputFields"][number]["type"], string]> = [
  ["email", "EMAIL_ADDRESS", "Email"],
  ["phone", "PHONE", "Phone"],
  ["first_name", "NAME_FIRST", "FirstName"],
  ["last_name", "NAME_LAST", "LastName"],
  ["address", "ADDRESS", "Address"],
  ["postal", "ADDRESS_POSTALCODE", "Postal"],
];

const schema = (name: string): CreateSchemaMappingInput => ({
  schemaName: name,
  mappedInputFields: [
    { fieldName: "id", type: "UNIQUE_ID" },
    ...FIELDS.map(([fieldName, type, matchKey]) => ({ fieldName, type, matchKey, hashed: true })),
  ],
});

/**
 * Rows whose values are digests drawn from small pools, so values repeat across rows and sides (several
 * targets per source, sources sharing targets), with blanks, NULLs, rows without an id and repeated ids.
 */
async function writeSide(
  c: import("@duckdb/node-api").DuckDBConnection,
  file: string,
  rows: number,
  seed: number,
) {
  const value = (pool: number, salt: string) =>
    `CASE WHEN random() < 0.1 THEN NULL WHEN random() < 0.05 THEN '' ELSE sha256('${salt}' || (random() * ${pool})::INTEGER::VARCHAR) END`;
  await c.run(`SELECT setseed(${seed})`);
  await c.run(
    `COPY (SELECT CASE WHEN random() < 0.02 THEN '' ELSE 'r' || (random() * ${rows})::INTEGER::VARCHAR END AS id,
       ${value(rows * 2, "e")} AS email, ${value(rows * 2, "p")} AS phone, ${value(6, "f")} AS first_name,
       ${value(6, "l")} AS last_name, ${value(6, "a")} AS address, ${value(2, "z")} AS postal
     FROM range(${rows})) TO $file (FORMAT parquet)`,
    { file },
  );
}

const REFERENCE = `
  WITH s AS (SELECT nullif(id, '') AS id, nullif(email, '') AS email, nullif(phone, '') AS phone,
                    nullif(first_name, '') AS f, nullif(last_name, '') AS l, nullif(address, '') AS a,
                    nullif(postal, '') AS p FROM read_parquet($source) WHERE nullif(id, '') IS NOT NULL),
       t AS (SELECT nullif(id, '') AS id, * EXCLUDE (id) FROM read_parquet($target) WHERE nullif(id, '') IS NOT NULL),
       r1 AS (SELECT s.id AS source_id, min(t.id) AS target_id, 'email' AS match_rule
              FROM s JOIN t ON s.email = t.email GROUP BY s.id),
       r2 AS (SELECT s.id AS source_id, min(t.id) AS target_id, 'phone' AS match_rule
              FROM s JOIN t ON s.phone = t.phone WHERE s.id NOT IN (SELECT source_id FROM r1) GROUP BY s.id),
       r3 AS (SELECT s.id AS source_id, min(t.id) AS target_id, 'name_address_postal' AS match_rule
              FROM s JOIN t ON s.f = t.first_name AND s.l = t.last_name AND s.a = t.address AND s.p = t.postal
              WHERE s.id NOT IN (SELECT source_id FROM r1) AND s.id NOT IN (SELECT source_id FROM r2)
              GROUP BY s.id)
  SELECT * FROM r1 UNION ALL SELECT * FROM r2 UNION ALL SELECT * FROM r3 ORDER BY ALL`;

describe("runIdMapping vs the plain SQL waterfall", () => {
  it("maps every source exactly as one join per rule does, on Parquet files", async () => {
    const db = await DuckDBInstance.create(":memory:");
    const c = await db.connect();
    try {
      const source = path.join(dir, "crm.parquet");
      const target = path.join(dir, "graph.parquet");
      await writeSide(c, source, 2_000, 0.1);
      await writeSide(c, target, 6_000, 0.2);
      const outFile = path.join(dir, "mapping.parquet");
      const result = await runIdMapping({
        sources: [{ name: "crm", files: [source], schema: schema("crm") }],
        targets: [{ name: "graph", files: [target], schema: schema("graph") }],
        rules: {
          ruleDefinitionType: "SOURCE",
          attributeMatchingModel: "ONE_TO_ONE",
          recordMatchingModel: "MANY_SOURCE_TO_ONE_TARGET",
          rules: [
            { ruleName: "email", matchingKeys: ["Email"] },
            { ruleName: "phone", matchingKeys: ["Phone"] },
            { ruleName: "name_address_postal", matchingKeys: ["FirstName", "LastName", "Address", "Postal"] },
          ],
        },
        outFile,
        threads: 2,
      });
      const rows = async (sql: string, params: Record<string, string>) =>
        (await c.runAndReadAll(sql, params)).getRowsJS().map((r) => r.join(" "));
      const expected = await rows(REFERENCE, { source, target });
      const actual = await rows("SELECT * FROM read_parquet($f) ORDER BY ALL", { f: outFile });
      const byRule = (list: string[], rule: string) => list.filter((r) => r.endsWith(` ${rule}`)).length;
      for (const rule of ["email", "phone", "name_address_postal"])
        assert.ok(
          byRule(expected, rule) > 50,
          `the data exercises rule ${rule} (${byRule(expected, rule)} rows)`,
        );
      assert.deepEqual(actual, expected);
      assert.equal(result.metrics.totalMappedSourceRecords, expected.length);
    } finally {
      c.closeSync();
      db.closeSync();
    }
  });
});
