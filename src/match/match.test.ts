import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { sha256Hex } from "../normalize/index.ts";
import type {
  CreateSchemaMappingInput,
  IdMappingRuleBasedProperties,
} from "../schemas/entity-resolution-api.ts";
import {
  MatchEngine,
  type MatchInput,
  MatchValidationError,
  runIdMapping,
  validateIdMapping,
} from "./index.ts";

let dir: string;
let counter = 0;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "idbridge-match-test-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Field = {
  name: string;
  type: CreateSchemaMappingInput["mappedInputFields"][number]["type"];
  key?: string;
};

const ID: Field = { name: "id", type: "UNIQUE_ID" };
const EMAIL: Field = { name: "email", type: "EMAIL_ADDRESS", key: "Email" };
const EMAIL_2: Field = { name: "email_2", type: "EMAIL_ADDRESS", key: "Email" };
const PHONE: Field = { name: "phone", type: "PHONE", key: "Phone" };
const FIRST: Field = { name: "first_name", type: "NAME_FIRST", key: "FirstName" };
const LAST: Field = { name: "last_name", type: "NAME_LAST", key: "LastName" };

/** Writes a CSV input; `hashed` inputs get SHA-256 of each non-empty value, as prepare writes them. */
async function input(
  name: string,
  fields: Field[],
  rows: Array<Array<string | null>>,
  hashed = true,
): Promise<MatchInput> {
  const file = path.join(dir, `${name}-${counter++}.csv`);
  const cell = (v: string | null, f: Field) => {
    if (v === null) return "";
    const value = hashed && f.type !== "UNIQUE_ID" && v !== "" ? sha256Hex(v) : v;
    return `"${value.replaceAll('"', '""')}"`;
  };
  const lines = [
    fields.map((f) => f.name).join(","),
    ...rows.map((r) => r.map((v, i) => cell(v, fields[i]!)).join(",")),
  ];
  await writeFile(file, `${lines.join("\n")}\n`);
  return {
    name,
    files: [file],
    schema: {
      schemaName: name,
      mappedInputFields: fields.map((f) => ({
        fieldName: f.name,
        type: f.type,
        ...(f.key ? { matchKey: f.key } : {}),
        ...(f.type !== "UNIQUE_ID" ? { hashed } : {}),
      })),
    },
  };
}

function rules(
  list: Array<[string, string[]]>,
  attributeMatchingModel: IdMappingRuleBasedProperties["attributeMatchingModel"] = "MANY_TO_MANY",
  recordMatchingModel: IdMappingRuleBasedProperties["recordMatchingModel"] = "MANY_SOURCE_TO_ONE_TARGET",
): IdMappingRuleBasedProperties {
  return {
    ruleDefinitionType: "SOURCE",
    attributeMatchingModel,
    recordMatchingModel,
    rules: list.map(([ruleName, matchingKeys]) => ({ ruleName, matchingKeys })),
  };
}

async function readMapping(file: string): Promise<string[]> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    const reader = await c.runAndReadAll("SELECT * FROM read_parquet($f) ORDER BY ALL", { f: file });
    return reader.getRowsJS().map((row) => row.join(" "));
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

async function map(sources: MatchInput[], targets: MatchInput[], ruleSet: IdMappingRuleBasedProperties) {
  const outFile = path.join(dir, `mapping-${counter++}.parquet`);
  const result = await runIdMapping({ sources, targets, rules: ruleSet, outFile, threads: 1 });
  return { result, rows: await readMapping(outFile) };
}

describe("runIdMapping: waterfall", () => {
  it("records the first rule that matched and never re-matches a mapped source", async () => {
    const source = await input(
      "crm",
      [ID, EMAIL, PHONE],
      [
        ["s1", "a@x.com", "15550001"],
        ["s2", "b@x.com", "15550002"],
      ],
    );
    const target = await input(
      "graph",
      [ID, EMAIL, PHONE],
      [
        ["t1", "a@x.com", null],
        ["t2", "z@x.com", "15550001"],
        ["t3", "y@x.com", "15550002"],
      ],
    );
    const { result, rows } = await map(
      [source],
      [target],
      rules([
        ["email", ["Email"]],
        ["phone", ["Phone"]],
      ]),
    );
    assert.deepEqual(
      rows,
      ["s1 t1 email", "s2 t3 phone"],
      "s1 also matches t2 by phone but keeps its email match",
    );
    assert.deepEqual(result.perRule, [
      { ruleName: "email", mappedSourceRecords: 1, mappedTargetRecords: 1 },
      { ruleName: "phone", mappedSourceRecords: 1, mappedTargetRecords: 1 },
    ]);
  });

  it("needs every key of a rule equal and non-null; null and empty never match", async () => {
    const source = await input(
      "crm",
      [ID, FIRST, LAST, EMAIL],
      [
        ["s1", "ann", null, ""],
        ["s2", "bob", "lee", null],
        ["s3", "cid", "roe", null],
      ],
    );
    const target = await input(
      "graph",
      [ID, FIRST, LAST, EMAIL],
      [
        ["t1", "ann", null, ""],
        ["t2", "bob", "lee", null],
        ["t3", "cid", "poe", null],
      ],
    );
    const { rows } = await map(
      [source],
      [target],
      rules([
        ["email", ["Email"]],
        ["name", ["FirstName", "LastName"]],
      ]),
    );
    assert.deepEqual(rows, ["s2 t2 name"], "null last names and empty emails match nothing; roe ≠ poe");
  });

  it("treats a hashed blank (SHA-256 of the empty string) as missing", async () => {
    const empty = sha256Hex("");
    const fields: Field[] = [ID, EMAIL];
    const write = async (name: string, rows: string[][]) => {
      const file = path.join(dir, `${name}-${counter++}.csv`);
      await writeFile(file, `id,email\n${rows.map((r) => r.join(",")).join("\n")}\n`);
      return {
        name,
        files: [file],
        schema: {
          schemaName: name,
          mappedInputFields: fields.map((f) => ({
            fieldName: f.name,
            type: f.type,
            matchKey: f.key,
            hashed: true,
          })),
        },
      } satisfies MatchInput;
    };
    const { rows } = await map(
      [
        await write("crm", [
          ["s1", empty],
          ["s2", sha256Hex("a@x.com")],
        ]),
      ],
      [
        await write("graph", [
          ["t1", empty],
          ["t2", sha256Hex("a@x.com").toUpperCase()],
          ["t3", sha256Hex("a@x.com")],
        ]),
      ],
      rules([["email", ["Email"]]]),
    );
    assert.deepEqual(rows, ["s2 t3 email"], "digests compare as they are; hashed blanks never match");
  });
});

describe("runIdMapping: attribute matching model", () => {
  it("MANY_TO_MANY lets email_2 meet email; ONE_TO_ONE only the same sub-type", async () => {
    const source = await input(
      "crm",
      [ID, EMAIL, EMAIL_2],
      [
        ["s1", "old@x.com", "new@x.com"],
        ["s2", null, "two@x.com"],
      ],
    );
    const target = await input(
      "graph",
      [ID, EMAIL, EMAIL_2],
      [
        ["t1", "new@x.com", null],
        ["t2", "nobody@x.com", "two@x.com"],
      ],
    );
    const ruleList: Array<[string, string[]]> = [["email", ["Email"]]];
    const many = await map([source], [target], rules(ruleList, "MANY_TO_MANY"));
    assert.deepEqual(many.rows, ["s1 t1 email", "s2 t2 email"]);
    const one = await map([source], [target], rules(ruleList, "ONE_TO_ONE"));
    assert.deepEqual(one.rows, ["s2 t2 email"], "s1's email_2 may not meet t1's email");
  });

  it("MANY_TO_MANY crosses matchKeys of one attribute type but never ids of different providers", async () => {
    const work: Field = { name: "work_email", type: "EMAIL_ADDRESS", key: "WorkEmail" };
    const lrp: Field = { name: "lrp", type: "STRING", key: "LRP" };
    const mkl: Field = { name: "mkl", type: "STRING", key: "MKL" };
    const source = await input(
      "crm",
      [ID, EMAIL, lrp, mkl],
      [
        ["s1", "w@x.com", null, null],
        ["s2", null, "id-77", null],
      ],
      false,
    );
    const target = await input(
      "graph",
      [ID, work, EMAIL, lrp, mkl],
      [
        ["t1", "w@x.com", null, null, null],
        ["t2", null, null, null, "id-77"],
      ],
      false,
    );
    const { rows } = await map(
      [source],
      [target],
      rules([
        ["email", ["Email"]],
        ["lrp", ["LRP"]],
      ]),
    );
    assert.deepEqual(rows, ["s1 t1 email"], "Email meets WorkEmail; a LiveRamp id never meets a Merkle id");
  });
});

describe("runIdMapping: record matching model", () => {
  it("MANY_SOURCE_TO_ONE_TARGET lets several sources share a target and picks the smallest target id", async () => {
    const source = await input(
      "crm",
      [ID, EMAIL],
      [
        ["s1", "a@x.com"],
        ["s2", "a@x.com"],
      ],
    );
    const target = await input(
      "graph",
      [ID, EMAIL],
      [
        ["t9", "a@x.com"],
        ["t1", "a@x.com"],
      ],
    );
    const { rows, result } = await map([source], [target], rules([["email", ["Email"]]]));
    assert.deepEqual(rows, ["s1 t1 email", "s2 t1 email"]);
    assert.equal(result.metrics.totalMappedSourceRecords, 2);
    assert.equal(result.metrics.totalMappedTargetRecords, 1);
  });

  it("ONE_SOURCE_TO_ONE_TARGET: greedy by (rule, source id, target id), a taken target falls to a later rule", async () => {
    // Candidate pairs: (email, s2, t1), (phone, s1, t1), (phone, s1, t2), (email, s3, t3), (email, s4, t3).
    const source = await input(
      "crm",
      [ID, EMAIL, PHONE],
      [
        ["s1", null, "15550001"],
        ["s2", "a@x.com", null],
        ["s3", "c@x.com", null],
        ["s4", "c@x.com", null],
      ],
    );
    const target = await input(
      "graph",
      [ID, EMAIL, PHONE],
      [
        ["t2", null, "15550001"],
        ["t1", "a@x.com", "15550001"],
        ["t3", "c@x.com", null],
      ],
    );
    const ruleSet = rules(
      [
        ["email", ["Email"]],
        ["phone", ["Phone"]],
      ],
      "MANY_TO_MANY",
      "ONE_SOURCE_TO_ONE_TARGET",
    );
    const { rows, result } = await map([source], [target], ruleSet);
    assert.deepEqual(rows, ["s1 t2 phone", "s2 t1 email", "s3 t3 email"], "s4 loses t3 to the smaller s3");
    assert.equal(result.metrics.totalMappedTargetRecords, 3);
  });

  it("gives the same mapping whatever the row order of the files", async () => {
    const rowsA: Array<Array<string | null>> = [];
    for (let i = 0; i < 40; i++) rowsA.push([`t${i}`, `p${i % 7}@x.com`]);
    const sourceRows: Array<Array<string | null>> = [];
    for (let i = 0; i < 20; i++) sourceRows.push([`s${i}`, `p${i % 9}@x.com`]);
    const ruleSet = rules([["email", ["Email"]]], "MANY_TO_MANY", "ONE_SOURCE_TO_ONE_TARGET");
    const first = await map(
      [await input("crm", [ID, EMAIL], sourceRows)],
      [await input("g", [ID, EMAIL], rowsA)],
      ruleSet,
    );
    const second = await map(
      [await input("crm", [ID, EMAIL], [...sourceRows].reverse())],
      [await input("g", [ID, EMAIL], [...rowsA].reverse())],
      ruleSet,
    );
    assert.deepEqual(second.rows, first.rows);
    // Sources s0..s19 carry p0..p8 (p0, p1 three times, p2..p6 twice, p7, p8 absent from targets); every
    // shared email has ≥5 targets, so each of those 16 sources gets its own target.
    assert.equal(first.rows.length, 16);
    assert.equal(new Set(first.rows.map((r) => r.split(" ")[1])).size, 16, "no target is taken twice");
  });
});

describe("runIdMapping: inputs and metrics", () => {
  it("normalizes raw sources to meet a hashed target", async () => {
    const source = await input(
      "crm",
      [ID, EMAIL, PHONE, FIRST],
      [
        ["s1", "  John.Doe@Example.COM ", null, null],
        ["s2", null, "(206) 555-0100", "Zoë"],
      ],
      false,
    );
    const target = await input(
      "graph",
      [ID, EMAIL, PHONE, FIRST],
      [
        ["t1", "john.doe@example.com", null, null],
        ["t2", null, "12065550100", "zoe"],
      ],
    );
    const { rows } = await map(
      [source],
      [target],
      rules([
        ["email", ["Email"]],
        ["phone_name", ["Phone", "FirstName"]],
      ]),
    );
    assert.deepEqual(rows, ["s1 t1 email", "s2 t2 phone_name"]);
  });

  it("reports ER's job metrics over both sides", async () => {
    const source = await input(
      "crm",
      [ID, EMAIL],
      [
        ["s1", "a@x.com"],
        ["s1", "b@x.com"],
        ["", "c@x.com"],
        ["s2", "zz@x.com"],
      ],
    );
    const target = await input(
      "graph",
      [ID, EMAIL],
      [
        ["t1", "a@x.com"],
        ["t2", "c@x.com"],
      ],
    );
    const { result, rows } = await map([source], [target], rules([["email", ["Email"]]]));
    assert.deepEqual(rows, ["s1 t1 email"], "a row without an id is not processed");
    assert.deepEqual(result.metrics, {
      inputRecords: 6,
      totalRecordsProcessed: 5,
      recordsNotProcessed: 1,
      totalMappedRecords: 1,
      totalMappedSourceRecords: 1,
      totalMappedTargetRecords: 1,
      uniqueRecordsLoaded: 4,
    });
  });

  it("names the inputs in the mapping when a side has several", async () => {
    const a = await input("web", [ID, EMAIL], [["1", "a@x.com"]]);
    const b = await input("store", [ID, PHONE], [["1", "15550001"]]);
    const target = await input("graph", [ID, EMAIL, PHONE], [["t1", "a@x.com", "15550001"]]);
    const { rows } = await map(
      [a, b],
      [target],
      rules([
        ["email", ["Email"]],
        ["phone", ["Phone"]],
      ]),
    );
    assert.deepEqual(rows, ["1 t1 email web", "1 t1 phone store"]);
  });

  it("keeps values out of the error when a file cannot be parsed", async () => {
    const target = await input("graph", [ID, EMAIL], [["t1", "a@x.com"]]);
    const broken = path.join(dir, `broken-${counter++}.csv`);
    await writeFile(broken, "id,email\ns1,a@x.com\ns2,secret@example.com,extra,columns\n");
    const source: MatchInput = { ...target, name: "crm", files: [broken] };
    await assert.rejects(
      runIdMapping({
        sources: [source],
        targets: [target],
        rules: rules([["email", ["Email"]]]),
        outFile: path.join(dir, "x.parquet"),
      }),
      (e: Error) => e instanceof MatchValidationError && /crm/.test(e.message) && !/secret/.test(e.message),
    );
  });

  it("reads CSV and Parquet objects whose keys have no extension", async () => {
    const source = await input("crm", [ID, EMAIL], [["s1", "a@x.com"]]);
    const target = await input("graph", [ID, EMAIL], [["t1", "a@x.com"]]);
    const csvObject = path.join(dir, `object-${counter++}`);
    const parquetObject = path.join(dir, `object-${counter++}`);
    await writeFile(csvObject, await readFile(source.files[0]!));
    const db = await DuckDBInstance.create(":memory:");
    const c = await db.connect();
    try {
      await c.run("COPY (SELECT * FROM read_csv($f, all_varchar = true)) TO $o (FORMAT parquet)", {
        f: target.files[0]!,
        o: parquetObject,
      });
    } finally {
      c.closeSync();
      db.closeSync();
    }
    const { rows } = await map(
      [{ ...source, files: [csvObject] }],
      [{ ...target, files: [parquetObject] }],
      rules([["email", ["Email"]]]),
    );
    assert.deepEqual(rows, ["s1 t1 email"]);
  });

  it("writes nothing when a schema field is missing from the file", async () => {
    const source = await input("crm", [ID, EMAIL], [["s1", "a@x.com"]]);
    source.schema.mappedInputFields.push({
      fieldName: "phone",
      type: "PHONE",
      matchKey: "Phone",
      hashed: true,
    });
    const target = await input("graph", [ID, EMAIL, PHONE], [["t1", "a@x.com", "1"]]);
    const outFile = path.join(dir, "never.parquet");
    await assert.rejects(
      runIdMapping({ sources: [source], targets: [target], rules: rules([["email", ["Email"]]]), outFile }),
      (e: Error) =>
        e instanceof MatchValidationError && /field 'phone'/.test(e.message) && /crm/.test(e.message),
    );
    assert.ok(!(await readdir(dir)).some((f) => f.includes("never.parquet")), "no output, no temp file");
  });
});

describe("MatchEngine", () => {
  it("runs several jobs in turn, each with its own default country", async () => {
    const engine = await MatchEngine.create({ threads: 1 });
    try {
      const job = async (country: string, raw: string, e164: string) => {
        const outFile = path.join(dir, `engine-${counter++}.parquet`);
        await engine.run({
          sources: [await input("crm", [ID, PHONE], [["s1", raw]], false)],
          targets: [await input("graph", [ID, PHONE], [["t1", e164]])],
          rules: rules([["phone", ["Phone"]]]),
          outFile,
          country,
        });
        return readMapping(outFile);
      };
      assert.deepEqual(await job("GB", "020 7946 0018", "442079460018"), ["s1 t1 phone"]);
      assert.deepEqual(await job("US", "(206) 555-0100", "12065550100"), ["s1 t1 phone"]);
    } finally {
      engine.close();
    }
  });
});

describe("runIdMapping: cancellation", () => {
  it("stops on an aborted signal and writes nothing", async () => {
    const source = await input("crm", [ID, EMAIL], [["s1", "a@x.com"]]);
    const target = await input("graph", [ID, EMAIL], [["t1", "a@x.com"]]);
    const outFile = path.join(dir, "aborted.parquet");
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await assert.rejects(
      runIdMapping({
        sources: [source],
        targets: [target],
        rules: rules([["email", ["Email"]]]),
        outFile,
        signal: controller.signal,
      }),
      /stop/,
    );
    assert.ok(!(await readdir(dir)).some((f) => f.includes("aborted.parquet")));
  });
});

describe("validateIdMapping", () => {
  const schema = (keys: string[]): CreateSchemaMappingInput => ({
    schemaName: "s",
    mappedInputFields: [
      { fieldName: "id", type: "UNIQUE_ID" },
      ...keys.map((k, i) => ({ fieldName: `f${i}`, type: "STRING" as const, matchKey: k, hashed: true })),
    ],
  });
  const keys = Array.from({ length: 16 }, (_, i) => `K${i}`);
  const side = [{ name: "x", files: ["x.parquet"], schema: schema(keys) }];
  const check = (ruleSet: unknown, pattern: RegExp) =>
    assert.throws(
      () =>
        validateIdMapping({ sources: side, targets: side, rules: ruleSet as IdMappingRuleBasedProperties }),
      (e: Error) => e instanceof MatchValidationError && pattern.test(e.message),
      String(pattern),
    );

  it("accepts a valid rule set", () => {
    const plan = validateIdMapping({ sources: side, targets: side, rules: rules([["a", ["K0", "K1"]]]) });
    assert.equal(plan.rules.rules?.length, 1);
  });
  it("rejects rule counts outside 1–25", () => {
    check(rules([]), /rules.*too few/);
    check({ ...rules([]), rules: undefined }, /between 1 and 25 rules/);
    check(
      rules(Array.from({ length: 26 }, (_, i) => [`r${i}`, ["K0"]] as [string, string[]])),
      /rules.*at most 25/,
    );
  });
  it("rejects more than 15 matching keys in a rule", () => {
    check(rules([["wide", keys]]), /rules\[0\]\.matchingKeys.*at most 15/);
  });
  it("rejects unknown matchKeys, naming the rule and key", () => {
    check(rules([["r", ["Email"]]]), /rule 'r': matching key 'Email' is not a matchKey of the source/);
    check(rules([["r", ["k0"]]]), /did you mean 'K0'/);
  });
  it("rejects duplicate rule names, repeated keys, bad names and unknown models", () => {
    check(
      rules([
        ["r", ["K0"]],
        ["r", ["K1"]],
      ]),
      /rule name 'r' is used twice/,
    );
    check(rules([["r", ["K0", "K0"]]]), /'K0' is listed twice/);
    check(rules([["bad/name", ["K0"]]]), /rules\[0\]\.ruleName/);
    check({ ...rules([["r", ["K0"]]]), recordMatchingModel: "MANY_TO_MANY" }, /recordMatchingModel/);
  });
  it("rejects a schema mapping without exactly one UNIQUE_ID", () => {
    const noId = {
      name: "x",
      files: ["x.parquet"],
      schema: { ...schema(["K0"]), mappedInputFields: schema(["K0", "K1"]).mappedInputFields.slice(1) },
    };
    assert.throws(
      () => validateIdMapping({ sources: [noId], targets: side, rules: rules([["r", ["K0"]]]) }),
      /source 'x'.*exactly one UNIQUE_ID/,
    );
  });
});
