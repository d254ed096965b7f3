import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { runIdMapping } from "../match/index.ts";
import { normalizeValue, sha256Hex } from "../normalize/index.ts";
import { CreateSchemaMappingInput } from "../schemas/entity-resolution-api.ts";
import { type SynthResult, synth } from "./index.ts";
import { personAt } from "./people.ts";
import { buildPools } from "./pools.ts";

let dir: string;
let first: SynthResult;

async function query(sql: string, params: Record<string, string> = {}): Promise<unknown[][]> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    return (await c.runAndReadAll(sql, params)).getRowsJS();
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "idbridge-synth-test-"));
  first = await synth({ outDir: path.join(dir, "a"), people: 3000, crm: 1500, seed: 11 });
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("synth", () => {
  it("is deterministic for a seed and differs across seeds", async () => {
    const again = await synth({ outDir: path.join(dir, "b"), people: 3000, crm: 1500, seed: 11 });
    const other = await synth({ outDir: path.join(dir, "c"), people: 3000, crm: 1500, seed: 12 });
    assert.equal(await readFile(again.crmPath, "utf8"), await readFile(first.crmPath, "utf8"));
    assert.equal(await readFile(again.truthPath, "utf8"), await readFile(first.truthPath, "utf8"));
    const diff = await query(
      "SELECT count(*) FROM (SELECT * FROM read_parquet($a) EXCEPT ALL SELECT * FROM read_parquet($b))",
      { a: first.targetFile, b: again.targetFile },
    );
    assert.equal(Number(diff[0]![0]), 0, "same graph rows");
    assert.notEqual(await readFile(other.crmPath, "utf8"), await readFile(first.crmPath, "utf8"));
  });

  it("stores SHA-256 of the Amazon-normalized values of each person", async () => {
    const pools = buildPools(11);
    const person = personAt(pools, 11, 5);
    const rows = await query(
      "SELECT email, phone, first_name, last_name, address, state, postal FROM read_parquet($f) WHERE target_id = 'T5' ORDER BY email NULLS LAST",
      { f: first.targetFile },
    );
    const current = person.addresses[0]!;
    assert.deepEqual(rows[0], [
      sha256Hex(normalizeValue("EMAIL_ADDRESS", person.emails[0]!)!),
      sha256Hex(normalizeValue("PHONE", person.phones[0]!)!),
      sha256Hex(normalizeValue("NAME_FIRST", person.first)!),
      sha256Hex(normalizeValue("NAME_LAST", person.last)!),
      sha256Hex(normalizeValue("ADDRESS", `${current.number} ${current.street}`)!),
      sha256Hex(normalizeValue("ADDRESS_STATE", current.place.stateName)!),
      sha256Hex(normalizeValue("ADDRESS_POSTALCODE", `${current.zip}-${current.zip4}`)!),
    ]);
    assert.equal(rows.length, person.addresses.length, "movers have a row for their previous address");
  });

  it("clears temp files left by a killed run, and only those", async () => {
    const out = path.join(dir, "stale");
    await mkdir(out, { recursive: true });
    const dead = path.join(out, ".graph.csv.999999999.tmp");
    const live = path.join(out, `.crm.csv.${process.ppid}.tmp`);
    await writeFile(dead, "x");
    await writeFile(live, "x");
    await synth({ outDir: out, people: 10, crm: 5, seed: 1 });
    const left = await readdir(out);
    assert.ok(!left.includes(path.basename(dead)), "a dead run's temp file is removed");
    assert.ok(left.includes(path.basename(live)), "a live process's temp file stays");
  });

  it("writes valid schema mappings and a truth that covers every CRM row", async () => {
    for (const file of [first.targetSchemaPath, first.crmSchemaPath]) {
      assert.ok(CreateSchemaMappingInput.safeParse(JSON.parse(await readFile(file, "utf8"))).success, file);
    }
    const [counts] = await query(
      `SELECT count(*), count(t.target_id), count(*) FILTER (WHERE t.target_id IS NOT NULL AND g.target_id IS NULL)
       FROM read_csv($truth, all_varchar = true) t
       LEFT JOIN (SELECT DISTINCT target_id FROM read_parquet($graph)) g USING (target_id)`,
      { truth: first.truthPath, graph: first.targetFile },
    );
    const [crmRows] = await query(
      "SELECT count(*), count(DISTINCT customer_id) FROM read_csv($f, all_varchar = true)",
      {
        f: first.crmPath,
      },
    );
    assert.deepEqual(crmRows!.map(Number), [1500, 1500], "one row per customer_id");
    assert.equal(Number(counts![0]), 1500);
    assert.equal(Number(counts![1]), first.stats.crmInGraph);
    assert.equal(Number(counts![2]), 0, "every true target exists in the graph");
    assert.ok(first.stats.crmAbsent > 100 && first.stats.crmAbsent < 400, "about 15% absent from the graph");
  });

  it("claims a key clean only when matching on it finds the true person", async () => {
    // Emails are unique to a person: every row whose Email is clean must map to its true target.
    const schema = (file: string) => readFile(file, "utf8").then((text) => JSON.parse(text));
    const outFile = path.join(dir, "email-only.parquet");
    await runIdMapping({
      sources: [{ name: "crm", files: [first.crmPath], schema: await schema(first.crmSchemaPath) }],
      targets: [{ name: "graph", files: [first.targetFile], schema: await schema(first.targetSchemaPath) }],
      rules: {
        ruleDefinitionType: "SOURCE",
        attributeMatchingModel: "MANY_TO_MANY",
        recordMatchingModel: "MANY_SOURCE_TO_ONE_TARGET",
        rules: [{ ruleName: "email", matchingKeys: ["Email"] }],
      },
      outFile,
      threads: 1,
    });
    const [row] = await query(
      `SELECT count(*) FILTER (WHERE contains(t.clean_keys, 'Email')),
              count(*) FILTER (WHERE contains(t.clean_keys, 'Email') AND m.target_id = t.target_id),
              count(*) FILTER (WHERE NOT contains(coalesce(t.clean_keys, ''), 'Email') AND m.target_id IS NOT NULL)
       FROM read_csv($truth, all_varchar = true) t LEFT JOIN read_parquet($m) m ON m.source_id = t.source_id`,
      { truth: first.truthPath, m: outFile },
    );
    const [clean, found, unclaimed] = row!.map(Number) as [number, number, number];
    assert.ok(clean > 500, "most CRM rows carry a usable email");
    assert.equal(found, clean, "every clean email finds its person");
    assert.equal(unclaimed, 0, "no email match where the truth says the email is not clean");
  });
});
