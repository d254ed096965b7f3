import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { CreateSchemaMappingInput } from "../schemas/entity-resolution-api.ts";
import { countIdSummary, type IdSummary, idSummaryOption, runIdMapping, verifiedIdSummary } from "./index.ts";

let dir: string;
let db: DuckDBInstance;
let c: DuckDBConnection;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "idbridge-id-summary-"));
  db = await DuckDBInstance.create(":memory:");
  c = await db.connect();
});
after(async () => {
  c.closeSync();
  db.closeSync();
  await rm(dir, { recursive: true, force: true });
});

// 40 rows: ids t0…t29 (t0…t9 twice), minus blanks and NULLs; emails e0…e39 (hashed as digests).
const ROWS = `SELECT CASE WHEN i % 13 = 5 THEN '' WHEN i % 17 = 3 THEN NULL ELSE 't' || (i % 30)::VARCHAR END AS tid,
                     sha256('e' || i::VARCHAR) AS email FROM range(40) r(i)`;

async function graph(name: string, summary?: IdSummary): Promise<string> {
  const file = path.join(dir, `${name}.parquet`);
  await c.run(`COPY (${ROWS}) TO $file (FORMAT parquet${summary ? `, ${idSummaryOption(summary)}` : ""})`, {
    file,
  });
  return file;
}

const schema = (name: string, id: string): CreateSchemaMappingInput => ({
  schemaName: name,
  mappedInputFields: [
    { fieldName: id, type: "UNIQUE_ID" },
    { fieldName: "email", type: "EMAIL_ADDRESS", matchKey: "Email", hashed: true },
  ],
});

async function metricsWith(target: string) {
  const source = path.join(dir, "crm.parquet");
  await c.run(
    `COPY (SELECT 's' || i::VARCHAR AS sid, sha256('e' || (i * 2)::VARCHAR) AS email FROM range(25) r(i)) TO $source (FORMAT parquet)`,
    {
      source,
    },
  );
  const result = await runIdMapping({
    sources: [{ name: "crm", files: [source], schema: schema("crm", "sid") }],
    targets: [{ name: "graph", files: [target], schema: schema("graph", "tid") }],
    rules: {
      ruleDefinitionType: "SOURCE",
      attributeMatchingModel: "ONE_TO_ONE",
      recordMatchingModel: "MANY_SOURCE_TO_ONE_TARGET",
      rules: [{ ruleName: "email", matchingKeys: ["Email"] }],
    },
    outFile: path.join(dir, "mapping.parquet"),
  });
  return result.metrics;
}

describe("id summary", () => {
  it("counts rows, rows with an id and distinct ids", async () => {
    const summary = await countIdSummary(c, "tid", `(${ROWS})`);
    const expected = (
      await c.runAndReadAll(
        `SELECT count(*), count(NULLIF(tid, '')), count(DISTINCT NULLIF(tid, '')) FROM (${ROWS})`,
      )
    ).getRowsJS()[0]!;
    assert.deepEqual([summary.rows, summary.withId, summary.unique], expected.map(Number));
    assert.ok(summary.unique < summary.withId, "the fixture repeats ids");
  });

  it("is trusted only while the file's ids agree with it", async () => {
    const summary = await countIdSummary(c, "tid", `(${ROWS})`);
    assert.deepEqual(await verifiedIdSummary(c, await graph("honest", summary), "tid"), summary);
    assert.equal(await verifiedIdSummary(c, await graph("bare"), "tid"), null, "no summary");
    assert.equal(
      await verifiedIdSummary(c, await graph("other-column", summary), "email"),
      null,
      "another column",
    );
    const stale = { ...summary, checksum: String(BigInt(summary.checksum) + 1n) };
    assert.equal(await verifiedIdSummary(c, await graph("stale", stale), "tid"), null, "ids changed");
  });

  it("gives the job the same metrics as counting, and is ignored when stale", async () => {
    const summary = await countIdSummary(c, "tid", `(${ROWS})`);
    const counted = await metricsWith(await graph("plain"));
    assert.deepEqual(await metricsWith(await graph("summarized", summary)), counted);
    // A summary whose ids no longer agree is not used: a wrong unique count never reaches the metrics.
    const stale = { ...summary, unique: summary.unique + 5, checksum: "0" };
    assert.deepEqual(await metricsWith(await graph("stale-job", stale)), counted);
    // And a summary that agrees is what the metrics take (here one deliberately off by 5 in its count).
    const trusted = { ...summary, unique: summary.unique + 5 };
    const used = await metricsWith(await graph("trusted", trusted));
    assert.equal(used.uniqueRecordsLoaded, counted.uniqueRecordsLoaded! + 5);
  });
});
