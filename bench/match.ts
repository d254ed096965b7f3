// Benchmark section: the ID mapping engine (src/match) — quality on febrl4 and synth data, and speed of
// 1M SOURCE × up to 10M TARGET records end to end through the CLI. Wired into BENCHMARKS.md by bench/run.ts.
//
// IDBRIDGE_BENCH_TARGETS: largest target size (default 10000000); growth is measured at 100k, 1M, 10M up
//   to it. IDBRIDGE_BENCH_SOURCES: source size (default 1000000). IDBRIDGE_BENCH_DIR: where generated
//   inputs are cached between runs (default bench/.work/match).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { setting } from "../src/config.ts";
import { fmt, type Measured, measure } from "./lib/measure.ts";
import { ROOT, WORK } from "./lib/paths.ts";

const SEED = 42;
const FEBRL = setting("febrlDir") ?? join(ROOT, "..", "shared", "data", "febrl4");
const DIR = setting("benchDir") ?? join(WORK, "match");
const MAX_TARGETS = setting("benchTargets");
const SOURCES = setting("benchSources");

type RuleSet = import("../src/schemas/entity-resolution-api.ts").IdMappingRuleBasedProperties;
type Evaluation = import("../src/evaluate/index.ts").Evaluation;

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

export async function run(): Promise<string> {
  mkdirSync(DIR, { recursive: true });
  const sections = [
    "## ID mapping engine (`idbridge match`)",
    "",
    "ER's rule-based ID mapping on DuckDB (src/match). Precision and recall are per source record " +
      "(src/evaluate): a source mapped to its true target is a true positive, mapped elsewhere a false " +
      "positive (and a false negative), not mapped while its person is in the target a false negative.",
    "",
    await febrl(),
    await synthQuality(),
    await scale(),
    await versusNaive(),
  ];
  return sections.join("\n");
}

// ---------------------------------------------------------------------------------------------- febrl4

const FEBRL_FIELDS: Array<[string, string, string]> = [
  ["first_name", "NAME_FIRST", "FirstName"],
  ["last_name", "NAME_LAST", "LastName"],
  ["address", "ADDRESS", "Address"],
  ["city", "ADDRESS_CITY", "City"],
  ["postal", "ADDRESS_POSTALCODE", "Postal"],
  ["state", "ADDRESS_STATE", "State"],
  ["dob", "STRING", "DOB"],
  ["ssn", "STRING", "SSN"],
];

/** febrl4 as raw identity tables: street number and street joined, ids kept, and the truth from rec_id. */
async function febrlInputs() {
  const out = join(DIR, "febrl4");
  mkdirSync(out, { recursive: true });
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    for (const [name, file] of [
      ["a", "dataset4a.csv"],
      ["b", "dataset4b.csv"],
    ]) {
      await c.run(
        `COPY (SELECT trim(rec_id) AS rec_id, given_name AS first_name, surname AS last_name,
                      trim(coalesce(street_number, '') || ' ' || coalesce(address_1, '')) AS address,
                      suburb AS city, postcode AS postal, state, trim(date_of_birth) AS dob, trim(soc_sec_id) AS ssn
               FROM read_csv($f, all_varchar = true, header = true))
         TO $o (FORMAT parquet)`,
        { f: join(FEBRL, file!), o: join(out, `${name}.parquet`) },
      );
    }
    await c.run(
      `COPY (SELECT rec_id AS source_id, regexp_replace(rec_id, '-dup-\\d+$', '-org') AS target_id
             FROM read_parquet($b)) TO $o (HEADER, DELIMITER ',')`,
      { b: join(out, "b.parquet"), o: join(out, "truth.csv") },
    );
  } finally {
    c.closeSync();
    db.closeSync();
  }
  const schema = (schemaName: string) => ({
    schemaName,
    mappedInputFields: [
      { fieldName: "rec_id", type: "UNIQUE_ID" as const },
      ...FEBRL_FIELDS.map(([fieldName, type, matchKey]) => ({
        fieldName,
        type: type as "STRING",
        matchKey,
        hashed: false,
      })),
    ],
  });
  return {
    source: { name: "febrl4b", files: [join(out, "b.parquet")], schema: schema("febrl4b") },
    target: { name: "febrl4a", files: [join(out, "a.parquet")], schema: schema("febrl4a") },
    truth: join(out, "truth.csv"),
    out,
  };
}

/**
 * febrl4's duplicates carry one to a few typos, blanks or swaps each, spread over every field, so no single
 * field is reliable: the tuned set asks for any two or three strong fields to agree exactly.
 */
const FEBRL_TUNED: RuleSet = {
  ruleDefinitionType: "SOURCE",
  attributeMatchingModel: "ONE_TO_ONE",
  recordMatchingModel: "ONE_SOURCE_TO_ONE_TARGET",
  rules: [
    { ruleName: "ssn_dob", matchingKeys: ["SSN", "DOB"] },
    { ruleName: "ssn_last_name", matchingKeys: ["SSN", "LastName"] },
    { ruleName: "ssn_first_name", matchingKeys: ["SSN", "FirstName"] },
    { ruleName: "ssn_postal", matchingKeys: ["SSN", "Postal"] },
    { ruleName: "ssn_address", matchingKeys: ["SSN", "Address"] },
    { ruleName: "dob_names", matchingKeys: ["DOB", "FirstName", "LastName"] },
    { ruleName: "dob_last_name_postal", matchingKeys: ["DOB", "LastName", "Postal"] },
    { ruleName: "dob_first_name_postal", matchingKeys: ["DOB", "FirstName", "Postal"] },
    { ruleName: "dob_address", matchingKeys: ["DOB", "Address"] },
    { ruleName: "names_address", matchingKeys: ["FirstName", "LastName", "Address"] },
    { ruleName: "names_postal_city", matchingKeys: ["FirstName", "LastName", "Postal", "City"] },
    { ruleName: "address_postal_city", matchingKeys: ["Address", "Postal", "City"] },
  ],
};

async function febrl(): Promise<string> {
  if (!existsSync(join(FEBRL, "dataset4a.csv"))) return "### febrl4\n\n(skipped: febrl4 not found)\n";
  const { runIdMapping, defaultRulesFor } = await import("../src/match/index.ts");
  const { evaluate } = await import("../src/evaluate/index.ts");
  const inputs = await febrlInputs();
  const keys = new Set(FEBRL_FIELDS.map(([, , k]) => k));
  const rows: string[] = [];
  for (const [label, rules] of [
    ["default (keys febrl has)", defaultRulesFor(keys, keys)],
    ["tuned (12 rules, 1:1)", FEBRL_TUNED],
  ] as const) {
    const outFile = join(inputs.out, "mapping.parquet");
    const started = performance.now();
    await runIdMapping({ sources: [inputs.source], targets: [inputs.target], rules, outFile, country: "AU" });
    const seconds = (performance.now() - started) / 1000;
    const e = await evaluate({ mapping: outFile, truth: inputs.truth });
    rows.push(
      `| ${label} | ${rules.rules!.length} | ${pct(e.precision)} | ${pct(e.recall)} | ${pct(e.f1)} | ${fmt(e.truePositives)} / ${fmt(e.falsePositives)} | ${seconds.toFixed(2)} s |`,
    );
  }
  return [
    "### febrl4 (5,000 × 5,000; 4a TARGET, 4b SOURCE; truth from rec_id)",
    "",
    "Raw values, normalized by src/normalize (country AU), street number + street as the address, " +
      "date of birth and social security id as STRING keys.",
    "",
    "| rule set | rules | precision | recall | F1 | TP / FP | time |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...rows,
    "",
    "The default rules need a whole name and address to agree exactly; febrl4 puts a typo or blank into " +
      "most duplicates, so exact full-name+address rules recall little. The tuned set pairs strong " +
      "fields (SSN, date of birth) with one other field, which survives a typo anywhere else.",
    "",
  ].join("\n");
}

// ------------------------------------------------------------------------------------------ synth quality

async function synthQuality(): Promise<string> {
  const { synth } = await import("../src/synth/index.ts");
  const { runIdMapping, defaultRules } = await import("../src/match/index.ts");
  const { evaluate } = await import("../src/evaluate/index.ts");
  const out = join(DIR, "quality");
  const data = await synth({ outDir: out, people: 500_000, crm: 50_000, seed: SEED });
  const schema = (file: string) => JSON.parse(readFileSync(file, "utf8"));
  const rows: string[] = [];
  let evaluation: Evaluation | undefined;
  for (const model of ["MANY_SOURCE_TO_ONE_TARGET", "ONE_SOURCE_TO_ONE_TARGET"] as const) {
    const rules = { ...defaultRules, recordMatchingModel: model };
    const outFile = join(out, `mapping-${model}.parquet`);
    await runIdMapping({
      sources: [{ name: "crm", files: [data.crmPath], schema: schema(data.crmSchemaPath) }],
      targets: [{ name: "graph", files: [data.targetFile], schema: schema(data.targetSchemaPath) }],
      rules,
      outFile,
    });
    const e = await evaluate({ mapping: outFile, truth: data.truthPath, rules: rules.rules });
    evaluation ??= e;
    rows.push(
      `| ${model}${model === defaultRules.recordMatchingModel ? " (default)" : ""} | ${pct(e.precision)} | ${pct(e.recall)} | ${pct(e.recallBound ?? 0)} | ${pct(e.matchRate)} | ${fmt(e.falsePositives)} |`,
    );
  }
  const perRule = evaluation!.perRule.map(
    (r) => `| ${r.ruleName} | ${fmt(r.mapped)} | ${pct(r.precision)} |`,
  );
  const s = data.stats;
  return [
    `### Synthetic graph and CRM (synth seed ${SEED}: ${fmt(s.people)} people / ${fmt(s.targetRows)} graph rows, ${fmt(s.crmRecords)} raw CRM rows: ${fmt(s.crmInGraph)} in the graph, ${fmt(s.crmDuplicates)} duplicates)`,
    "",
    "Default rules on the raw CRM (normalized and hashed by the engine) against the hashed graph.",
    "",
    "| record matching model | precision | recall | recall bound | match rate | false positives |",
    "|---|---:|---:|---:|---:|---:|",
    ...rows,
    "",
    "| rule (default set) | mapped | precision |",
    "|---|---:|---:|",
    ...perRule,
    "",
    "**Recall bound.** For every CRM row of a person who is in the graph, synth records in truth.csv " +
      "(`clean_keys`) the matchKeys whose CRM value, after Amazon normalization, equals a value that person " +
      "holds in the graph. Noise that normalization undoes (case, spacing, phone formats, ZIP+4, state names, " +
      "suffix abbreviations, accents) leaves a key clean; typos, nicknames, gmail dots, apartment numbers, " +
      "stale addresses and blanks do not. An exact rule can only fire on the true pair when all its keys are " +
      "clean, so the share of rows where some rule's keys are all clean bounds the recall of any exact engine " +
      "with those rules. synth.test.ts checks the claim (every row with a clean Email maps to its true person " +
      "on an Email-only run, and no other row does). With MANY_SOURCE_TO_ONE_TARGET the engine reaches the " +
      "bound up to a few rows that an earlier rule sent to a namesake; ONE_SOURCE_TO_ONE_TARGET loses the CRM's " +
      "duplicate customers, since a target may then serve one source only.",
    "",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------- scale

const SCALE_RULES: RuleSet = {
  ruleDefinitionType: "SOURCE",
  attributeMatchingModel: "MANY_TO_MANY",
  recordMatchingModel: "MANY_SOURCE_TO_ONE_TARGET",
  rules: [
    { ruleName: "email", matchingKeys: ["Email"] },
    { ruleName: "phone_first_name", matchingKeys: ["Phone", "FirstName"] },
    { ruleName: "name_address_postal", matchingKeys: ["FirstName", "LastName", "Address", "Postal"] },
    {
      ruleName: "name_address_city_state",
      matchingKeys: ["FirstName", "LastName", "Address", "City", "State"],
    },
    { ruleName: "phone_last_name_postal", matchingKeys: ["Phone", "LastName", "Postal"] },
  ],
};

/** How engine time and peak memory grow per tenfold of targets. */
function growth(runs: Array<{ n: number; engine: number; rss: number | null }>): string {
  const steps: string[] = [];
  for (let i = 1; i < runs.length; i++) {
    const [a, b] = [runs[i - 1]!, runs[i]!];
    const rss = a.rss && b.rss ? `, peak RSS ×${(b.rss / a.rss).toFixed(1)}` : "";
    steps.push(`${fmt(a.n)} → ${fmt(b.n)} targets: engine time ×${(b.engine / a.engine).toFixed(1)}${rss}`);
  }
  return steps.length > 0
    ? `Growth (targets ×10 each step; the ${fmt(SOURCES)} sources stay): ${steps.join("; ")}. While targets ` +
        "are few, fixed costs (start-up, reading the sources, building the join tables on them) dominate; then time and " +
        "memory follow the target rows, since every target value is read, fingerprinted and kept once."
    : "";
}

/** The largest graph with a SOURCES-row CRM drawn from it, the CRM prepared (hashed Parquet), cached. */
async function scaleInputs(): Promise<{ graph: string; graphSchema: string; source: string; truth: string }> {
  const dir = join(DIR, `synth-p${MAX_TARGETS}-c${SOURCES}-s${SEED}`);
  const done = join(dir, "crm.schema-mapping.json");
  if (!existsSync(done)) {
    const { synth } = await import("../src/synth/index.ts");
    process.stderr.write(
      `bench: match: synthesizing ${fmt(MAX_TARGETS)} people and ${fmt(SOURCES)} CRM rows…\n`,
    );
    await synth({ outDir: dir, people: MAX_TARGETS, crm: SOURCES, seed: SEED });
  }
  const prepared = join(dir, "prepared");
  if (!existsSync(join(prepared, "crm.schema-mapping.json"))) {
    const { prepare } = await import("../src/prepare/index.ts");
    process.stderr.write("bench: match: preparing the CRM…\n");
    await prepare({ input: join(dir, "crm.csv"), outDir: prepared, idColumn: "customer_id" } as Parameters<
      typeof prepare
    >[0]);
  }
  return {
    graph: join(dir, "graph.parquet"),
    graphSchema: join(dir, "graph.schema-mapping.json"),
    source: join(prepared, "crm.parquet"),
    truth: join(dir, "truth.csv"),
  };
}

/** The first n people of the graph: synth's person #i does not depend on the graph's size. */
async function graphOf(full: string, n: number): Promise<string> {
  if (n >= MAX_TARGETS) return full;
  const file = join(DIR, `graph-${n}.parquet`);
  if (existsSync(file)) return file;
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    await c.run(
      "COPY (SELECT * FROM read_parquet($f) WHERE CAST(substr(target_id, 2) AS BIGINT) < $n) TO $o (FORMAT parquet, COMPRESSION zstd)",
      { f: full, n, o: `${file}.tmp` },
    );
  } finally {
    c.closeSync();
    db.closeSync();
  }
  const { renameSync } = await import("node:fs");
  renameSync(`${file}.tmp`, file);
  return file;
}

async function scale(): Promise<string> {
  const inputs = await scaleInputs();
  const rulesFile = join(DIR, "scale-rules.json");
  writeFileSync(rulesFile, JSON.stringify(SCALE_RULES, null, 2));
  const sizes = [100_000, 1_000_000, 10_000_000].filter((n) => n < MAX_TARGETS);
  sizes.push(MAX_TARGETS);
  const rows: string[] = [];
  let largest: { wall: number; rss: number | null } | undefined;
  const runs: Array<{ n: number; engine: number; rss: number | null }> = [];
  for (const n of sizes) {
    const target = await graphOf(inputs.graph, n);
    const out = join(DIR, `out-${n}`);
    rmSync(out, { recursive: true, force: true });
    const m = measure(process.execPath, [
      join(ROOT, "bin", "idbridge.mjs"),
      "match",
      "--source",
      inputs.source,
      "--target",
      target,
      "--target-schema",
      inputs.graphSchema,
      "--rules",
      rulesFile,
      "--out",
      out,
      "--json",
    ]);
    if (m.status !== 0) throw new Error(`bench: match at ${n} targets failed: ${m.stderr.slice(-2000)}`);
    const result = JSON.parse(m.stdout) as import("../src/match/index.ts").IdMappingResult;
    const t = result.timingsMs!;
    rows.push(
      `| ${fmt(n)} | ${fmt(result.metrics.inputRecords)} | ${(t.load / 1000).toFixed(1)} s | ${(t.match / 1000).toFixed(1)} s | ${(t.write / 1000).toFixed(1)} s | ${(t.metrics / 1000).toFixed(1)} s | **${m.seconds.toFixed(1)} s** | ${m.peakRssMiB === null ? "n/a" : `${fmt(m.peakRssMiB)} MiB`} | ${fmt(result.metrics.totalMappedSourceRecords)} |`,
    );
    largest = { wall: m.seconds, rss: m.peakRssMiB };
    runs.push({ n, engine: (t.load + t.match + t.write + t.metrics) / 1000, rss: m.peakRssMiB });
  }
  return [
    `### Scale: ${fmt(SOURCES)} SOURCE × up to ${fmt(MAX_TARGETS)} TARGET records, 5 rules, end to end`,
    "",
    "`idbridge match` as a child process (wall time includes Node start-up and module loading; peak RSS " +
      "from GNU time): prepared (hashed) CRM Parquet against the hashed synth graph (people × ~1.2 rows for " +
      "movers), 5 rules (the default 4 + Phone+LastName+Postal), MANY_TO_MANY, so email/email_2 and " +
      "phone/phone_2 both take part. load = read Parquet + fingerprint every value; match = all rules' " +
      "joins + waterfall; write = mapping Parquet; metrics = ER's job counts (distinct ids of both sides).",
    "",
    "| targets | input rows | load | match | write | metrics | wall | peak RSS | mapped sources |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
    "",
    growth(runs),
    "",
    largest
      ? `Budget: ≤ 30 s and ≤ 4 GiB at 1M × 10M; measured ${largest.wall.toFixed(1)} s and ${largest.rss === null ? "n/a" : `${fmt(largest.rss)} MiB`} at the largest size run.`
      : "",
    "",
  ].join("\n");
}

// ------------------------------------------------------------------------------------- vs naive SQL

const NAIVE_RULES: RuleSet = {
  ruleDefinitionType: "SOURCE",
  attributeMatchingModel: "ONE_TO_ONE",
  recordMatchingModel: "MANY_SOURCE_TO_ONE_TARGET",
  rules: [
    { ruleName: "email", matchingKeys: ["Email"] },
    { ruleName: "phone", matchingKeys: ["Phone"] },
    { ruleName: "name_address_postal", matchingKeys: ["FirstName", "LastName", "Address", "Postal"] },
  ],
};
const ROUNDS = setting("benchMatchRounds");

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * `idbridge match` against bench/lib/naive-waterfall.mjs on the same files (the largest graph), both as
 * whole processes timed from outside, in alternating rounds; the mappings are checked to be equal.
 */
async function versusNaive(): Promise<string> {
  const inputs = await scaleInputs();
  const rulesFile = join(DIR, "naive-rules.json");
  writeFileSync(rulesFile, JSON.stringify(NAIVE_RULES, null, 2));
  const out = join(DIR, "out-naive");
  const naiveOut = join(DIR, "naive-mapping.parquet");
  const rounds: Array<{ engine: Measured; naive: Measured }> = [];
  for (let i = 0; i < ROUNDS; i++) {
    rmSync(out, { recursive: true, force: true });
    const engine = measure(process.execPath, [
      ...["bin/idbridge.mjs", "match", "--source", inputs.source, "--target", inputs.graph],
      ...["--target-schema", inputs.graphSchema, "--rules", rulesFile, "--out", out, "--json"],
    ]);
    if (engine.status !== 0) throw new Error(`bench: match vs naive failed: ${engine.stderr.slice(-2000)}`);
    const naive = measure(process.execPath, [
      join(ROOT, "bench", "lib", "naive-waterfall.mjs"),
      inputs.source,
      inputs.graph,
      naiveOut,
    ]);
    if (naive.status !== 0) throw new Error(`bench: naive waterfall failed: ${naive.stderr.slice(-2000)}`);
    rounds.push({ engine, naive });
  }
  const differing = await differingRows(join(out, "mapping.parquet"), naiveOut);
  const rss = (m: Measured) => (m.peakRssMiB === null ? "n/a" : `${fmt(m.peakRssMiB)} MiB`);
  const cpu = (m: Measured) => (m.cpuSeconds === null ? "n/a" : `${m.cpuSeconds.toFixed(1)} s`);
  const ratio = median(rounds.map((r) => r.engine.seconds)) / median(rounds.map((r) => r.naive.seconds));
  return [
    "### `idbridge match` vs a naive DuckDB SQL waterfall (1M SOURCE × the largest graph, 3 rules)",
    "",
    "Rules Email; Phone; FirstName+LastName+Address+Postal (ONE_TO_ONE, MANY_SOURCE_TO_ONE_TARGET), the " +
      "prepared CRM Parquet against the synth graph Parquet. The baseline (bench/lib/naive-waterfall.mjs) is " +
      "one DuckDB join per rule with `NOT IN` the earlier rules' sources and the smallest target id per " +
      "source. Whole processes, timed from outside, alternating rounds.",
    "",
    "| round | idbridge wall | idbridge CPU | idbridge peak RSS | naive wall | naive CPU | naive peak RSS | ratio |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rounds.map(
      (r, i) =>
        `| ${i + 1} | ${r.engine.seconds.toFixed(1)} s | ${cpu(r.engine)} | ${rss(r.engine)} | ${r.naive.seconds.toFixed(1)} s | ${cpu(r.naive)} | ${rss(r.naive)} | ${(r.engine.seconds / r.naive.seconds).toFixed(2)}× |`,
    ),
    "",
    `**Median ratio: ${ratio.toFixed(2)}× the naive time** (target ≤ 0.5×, ≤ 3 GiB). Mappings ` +
      (differing === 0 ? "identical." : `differ in ${fmt(differing)} rows.`),
    "",
  ].join("\n");
}

/** Rows in one mapping but not the other, both ways. */
async function differingRows(a: string, b: string): Promise<number> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    const reader = await c.runAndReadAll(
      `SELECT (SELECT count(*) FROM (SELECT * FROM read_parquet($a) EXCEPT ALL SELECT * FROM read_parquet($b)))
            + (SELECT count(*) FROM (SELECT * FROM read_parquet($b) EXCEPT ALL SELECT * FROM read_parquet($a)))`,
      { a, b },
    );
    return Number(reader.getRowsJS()[0]![0]);
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(await run());
}
