import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { evaluate } from "./index.ts";

let dir: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "idbridge-evaluate-test-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function mappingFile(rows: Array<[string, string, string]>): Promise<string> {
  const file = path.join(dir, `mapping-${rows.length}.parquet`);
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    await c.run("CREATE TABLE m (source_id VARCHAR, target_id VARCHAR, match_rule VARCHAR)");
    const appender = await c.createAppender("m");
    for (const row of rows) {
      for (const value of row) appender.appendVarchar(value);
      appender.endRow();
    }
    appender.closeSync();
    await c.run("COPY m TO $f (FORMAT parquet)", { f: file });
  } finally {
    c.closeSync();
    db.closeSync();
  }
  return file;
}

describe("evaluate", () => {
  it("counts per source record: right, wrong, absent-but-mapped and missed", async () => {
    const truth = path.join(dir, "truth.csv");
    await writeFile(
      truth,
      [
        "source_id,target_id,clean_keys",
        "s1,t1,Email|Phone",
        "s2,t2,Phone|FirstName",
        "s3,,", // not in the graph
        "s4,t4,FirstName|LastName|Address|Postal",
        "s5,t5,", // nothing usable
      ].join("\n"),
    );
    const mapping = await mappingFile([
      ["s1", "t1", "email"], // true positive
      ["s2", "t9", "phone"], // wrong target: false positive and a false negative
      ["s3", "t3", "phone"], // absent person mapped: false positive
      ["zz", "t1", "email"], // not in the truth: reported apart
    ]);
    const result = await evaluate({
      mapping,
      truth,
      rules: [
        { ruleName: "email", matchingKeys: ["Email"] },
        { ruleName: "phone_first_name", matchingKeys: ["Phone", "FirstName"] },
      ],
    });
    assert.equal(result.sourceRecords, 5);
    assert.equal(result.sourceRecordsInTarget, 4);
    assert.equal(result.mappedSourceRecords, 3);
    assert.equal(result.truePositives, 1);
    assert.equal(result.falsePositives, 2);
    assert.equal(result.falseNegatives, 3, "s2 (wrong), s4 and s5 (unmapped)");
    assert.equal(result.unknownSourceRecords, 1);
    assert.equal(result.precision, 1 / 3);
    assert.equal(result.recall, 1 / 4);
    assert.equal(result.matchRate, 3 / 5);
    assert.ok(Math.abs(result.f1 - (2 * (1 / 3) * (1 / 4)) / (1 / 3 + 1 / 4)) < 1e-12);
    assert.equal(result.recallBound, 2 / 4, "s1 by email, s2 by phone+first name; s4 and s5 by no rule");
    assert.deepEqual(result.perRule, [
      { ruleName: "phone", mapped: 2, precision: 0 },
      { ruleName: "email", mapped: 1, precision: 1 },
    ]);
  });

  it("names the file and the missing column of a bad truth", async () => {
    const truth = path.join(dir, "bad-truth.csv");
    await writeFile(truth, "id,target\na,b\n");
    const mapping = await mappingFile([["a", "b", "r"]]);
    await assert.rejects(evaluate({ mapping, truth }), /bad-truth\.csv: truth needs a 'source_id' column/);
    await assert.rejects(
      evaluate({ mapping: path.join(dir, "nope.parquet"), truth }),
      /nope\.parquet: no such file/,
    );
  });
});
