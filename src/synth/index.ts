// Seeded synthetic identity graph (TARGET, the role of Amazon's graph) and a noisy CRM (SOURCE) with truth.
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import writeFileAtomic from "write-file-atomic";
import { isProcessAlive } from "../lib/process-alive.ts";
import { countIdSummary, idSummaryOption } from "../match/index.ts";
import { type IdentityKind, normalizeValue, sha256Hex } from "../normalize/index.ts";
import type { CreateSchemaMappingInput } from "../schemas/entity-resolution-api.ts";
import { CsvWriter } from "./csv-writer.ts";
import { CRM_COLUMNS, type CrmRow, crmRowFor, csvCell } from "./noise.ts";
import { type Person, personAt, targetIdOf } from "./people.ts";
import { buildPools, type Pools } from "./pools.ts";
import { Random } from "./random.ts";

export interface SynthOptions {
  outDir: string;
  /** Persons in the graph; each is one target record (movers have a second row for the old address). */
  people: number;
  /** CRM rows. */
  crm: number;
  seed: number;
  onProgress?: (p: { phase: string; done: number; total: number }) => void;
}

export interface SynthStats {
  people: number;
  targetRows: number;
  crmRecords: number;
  crmInGraph: number;
  crmAbsent: number;
  crmDuplicates: number;
  elapsedMs: number;
}

export interface SynthResult {
  /** Parquet, SHA-256 of normalized values, id column target_id. */
  targetFile: string;
  targetSchemaPath: string;
  /** Raw CRM export, id column customer_id. */
  crmPath: string;
  /** CreateSchemaMapping for the raw CRM (hashed: false), so it can be matched without prepare. */
  crmSchemaPath: string;
  /** source_id,target_id,clean_keys — empty target_id: the person is absent from the graph. */
  truthPath: string;
  stats: SynthStats;
}

const GRAPH_COLUMNS = [
  "email",
  "email_2",
  "phone",
  "phone_2",
  "first_name",
  "last_name",
  "address",
  "city",
  "state",
  "postal",
] as const;

// Share of CRM rows for persons the graph knows, and of rows that repeat an earlier CRM person.
const IN_GRAPH_SHARE = 0.85;
const DUPLICATE_SHARE = 0.05;
const SALT_PICK = 0x7069636b;
const SALT_ROW = 0x726f7773;

/** The clean, normalized values of a person, as the graph stores them (before hashing). */
class Canonical {
  // Pool entries only (names, streets, cities): a few thousand values per kind.
  private readonly caches = new Map<IdentityKind, Map<string, string>>();

  of(kind: IdentityKind, raw: string): string {
    let cache = this.caches.get(kind);
    if (!cache) {
      cache = new Map();
      this.caches.set(kind, cache);
    }
    let value = cache.get(raw);
    if (value === undefined) {
      value = normalizeValue(kind, raw) ?? "";
      cache.set(raw, value);
    }
    return value;
  }

  /** Every normalized value handed out so far (all pool entries seen). */
  *values(): Iterable<string> {
    for (const cache of this.caches.values()) yield* cache.values();
  }

  /** Graph rows of a person: the current address with every contact point, then the previous address. */
  rows(person: Person): string[][] {
    const first = this.of("NAME_FIRST", person.first);
    const last = this.of("NAME_LAST", person.last);
    return person.addresses.map((a, i) => [
      i === 0 ? person.emails[0]! : "",
      i === 0 ? (person.emails[1] ?? "") : "",
      i === 0 ? `1${person.phones[0]}` : "",
      i === 0 && person.phones[1] ? `1${person.phones[1]}` : "",
      first,
      last,
      // The street part is normalized once per pool entry; the house number leads unchanged.
      `${a.number}${this.of("ADDRESS", a.street)}`,
      this.of("ADDRESS_CITY", a.place.city),
      a.place.state.toLowerCase(),
      a.zip,
    ]);
  }
}

const KEY_COLUMNS: Array<[string, IdentityKind, keyof CrmRow, number[]]> = [
  ["Email", "EMAIL_ADDRESS", "email", [0, 1]],
  ["Phone", "PHONE", "phone", [2, 3]],
  ["FirstName", "NAME_FIRST", "first_name", [4]],
  ["LastName", "NAME_LAST", "last_name", [5]],
  ["Address", "ADDRESS", "address", [6]],
  ["City", "ADDRESS_CITY", "city", [7]],
  ["State", "ADDRESS_STATE", "state", [8]],
  ["Postal", "ADDRESS_POSTALCODE", "zip", [9]],
];

/**
 * The matchKeys on which a CRM row, once normalized, equals a value its true person holds in the
 * graph: what any exact rule could possibly use. A rule set's recall bound is the share of in-graph
 * rows for which some rule's keys are all clean (evaluate computes it from this column).
 */
function cleanKeys(row: CrmRow, graphRows: string[][]): string[] {
  const clean: string[] = [];
  for (const [key, kind, column, positions] of KEY_COLUMNS) {
    const value = normalizeValue(kind, row[column]);
    if (!value) continue;
    if (graphRows.some((g) => positions.some((p) => g[p] === value))) clean.push(key);
  }
  return clean;
}

export async function synth(options: SynthOptions): Promise<SynthResult> {
  const { outDir, people, crm, seed } = options;
  if (!Number.isInteger(people) || people < 1) throw new RangeError("people must be a positive integer");
  if (!Number.isInteger(crm) || crm < 1) throw new RangeError("crm must be a positive integer");
  if (!Number.isInteger(seed)) throw new RangeError("seed must be an integer");
  const started = performance.now();
  await mkdir(outDir, { recursive: true });
  await removeStaleTemps(outDir);
  const pools = buildPools(seed);
  const canonical = new Canonical();
  const progress = options.onProgress ?? (() => {});
  const temp = (name: string) => path.join(outDir, `.${name}.${process.pid}.tmp`);
  const result: SynthResult = {
    targetFile: path.join(outDir, "graph.parquet"),
    targetSchemaPath: path.join(outDir, "graph.schema-mapping.json"),
    crmPath: path.join(outDir, "crm.csv"),
    crmSchemaPath: path.join(outDir, "crm.schema-mapping.json"),
    truthPath: path.join(outDir, "truth.csv"),
    stats: {
      people,
      targetRows: 0,
      crmRecords: crm,
      crmInGraph: 0,
      crmAbsent: 0,
      crmDuplicates: 0,
      elapsedMs: 0,
    },
  };
  const temps = ["graph.csv", "graph.parquet", "crm.csv", "truth.csv"].map(temp);
  try {
    result.stats.targetRows = await writeGraphCsv(temps[0]!, pools, canonical, people, seed, progress);
    progress({ phase: "hash", done: 0, total: 1 });
    await hashGraph(temps[0]!, temps[1]!, pooledValues(pools, canonical));
    progress({ phase: "hash", done: 1, total: 1 });
    await rm(temps[0]!, { force: true });
    await writeCrm(temps[2]!, temps[3]!, pools, canonical, options, result.stats, progress);
    await rename(temps[1]!, result.targetFile);
    await rename(temps[2]!, result.crmPath);
    await rename(temps[3]!, result.truthPath);
    await writeFileAtomic(result.targetSchemaPath, `${JSON.stringify(graphSchema(), null, 2)}\n`);
    await writeFileAtomic(result.crmSchemaPath, `${JSON.stringify(crmSchema(), null, 2)}\n`);
  } finally {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
  }
  result.stats.elapsedMs = Math.round(performance.now() - started);
  return result;
}

function* pooledValues(pools: Pools, canonical: Canonical): Iterable<string> {
  yield* canonical.values();
  for (const place of pools.places) {
    yield place.state.toLowerCase();
    for (let i = 0; i < 100; i++) yield place.zip3 + String(i).padStart(2, "0");
  }
}

/** Temp files of an earlier run that was killed (its pid is gone): a 10M graph leaves gigabytes. */
async function removeStaleTemps(outDir: string): Promise<void> {
  for (const name of await readdir(outDir)) {
    const match = /^\.(?:graph\.csv|graph\.parquet|crm\.csv|truth\.csv)\.(\d+)\.tmp$/.exec(name);
    if (match && !isProcessAlive(Number(match[1]))) await rm(path.join(outDir, name), { force: true });
  }
}

async function writeGraphCsv(
  file: string,
  pools: Pools,
  canonical: Canonical,
  people: number,
  seed: number,
  progress: NonNullable<SynthOptions["onProgress"]>,
): Promise<number> {
  const writer = new CsvWriter(file, ["target_id", ...GRAPH_COLUMNS]);
  let rows = 0;
  try {
    for (let p = 0; p < people; p++) {
      const id = targetIdOf(p);
      // Normalized values hold no comma, quote or newline: no CSV quoting needed.
      for (const row of canonical.rows(personAt(pools, seed, p))) {
        const flushed = writer.line(`${id},${row.join(",")}`);
        if (flushed) await flushed;
        rows++;
      }
      if (p % 100_000 === 0) progress({ phase: "graph", done: p, total: people });
    }
    await writer.close();
  } catch (error) {
    writer.destroy();
    throw error;
  }
  progress({ phase: "graph", done: people, total: people });
  return rows;
}

/** SHA-256 in DuckDB on all cores: the graph stores hashes only, as Amazon's would. */
// Columns whose values come from small pools (names, cities, states, ZIPs): their digests are computed
// once per distinct value in JS and joined in, instead of one DuckDB sha256 per row (DuckDB's SHA-256
// runs at ~0.5M/s per thread, so this halves the hashing of a 10M-person graph).
const POOLED = new Set(["first_name", "last_name", "city", "state", "postal"]);

/** SHA-256 in DuckDB on all cores: the graph stores hashes only, as Amazon's would. */
async function hashGraph(
  csvFile: string,
  parquetFile: string,
  pooledValues: Iterable<string>,
): Promise<void> {
  const db = await DuckDBInstance.create(":memory:");
  const connection = await db.connect();
  try {
    await connection.run("CREATE TABLE digest (v VARCHAR PRIMARY KEY, h VARCHAR)");
    const appender = await connection.createAppender("digest");
    try {
      for (const value of new Set(pooledValues)) {
        appender.appendVarchar(value);
        appender.appendVarchar(sha256Hex(value));
        appender.endRow();
      }
    } finally {
      appender.closeSync();
    }
    const columns = Object.fromEntries(["target_id", ...GRAPH_COLUMNS].map((c) => [c, "VARCHAR"]));
    const joins: string[] = [];
    const hashed = GRAPH_COLUMNS.map((c, i) => {
      if (!POOLED.has(c)) return `CASE WHEN g."${c}" = '' THEN NULL ELSE sha256(g."${c}") END AS "${c}"`;
      joins.push(`LEFT JOIN digest d${i} ON d${i}.v = g."${c}"`);
      return `CASE WHEN g."${c}" = '' THEN NULL ELSE coalesce(d${i}.h, sha256(g."${c}")) END AS "${c}"`;
    });
    const graph = `read_csv($csv, header = true, columns = ${toStructLiteral(columns)}, quote = '"')`;
    // ER's job metrics count the graph's distinct ids; recorded once here, the match engine checks them.
    const ids = await countIdSummary(connection, "target_id", graph, { csv: csvFile });
    await connection.run(
      `COPY (SELECT g.target_id, ${hashed.join(", ")} FROM ${graph} g ${joins.join(" ")})
       TO $out (FORMAT parquet, COMPRESSION zstd, ${idSummaryOption(ids)})`,
      { csv: csvFile, out: parquetFile },
    );
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

function toStructLiteral(columns: Record<string, string>): string {
  // Column names are this module's own constants, not user input.
  return `{${Object.entries(columns)
    .map(([k, v]) => `'${k}': '${v}'`)
    .join(", ")}}`;
}

async function writeCrm(
  crmFile: string,
  truthFile: string,
  pools: Pools,
  canonical: Canonical,
  options: SynthOptions,
  stats: SynthStats,
  progress: NonNullable<SynthOptions["onProgress"]>,
): Promise<void> {
  const { people, crm, seed } = options;
  const crmWriter = new CsvWriter(crmFile, ["customer_id", ...CRM_COLUMNS]);
  const truthWriter = new CsvWriter(truthFile, ["source_id", "target_id", "clean_keys"]);
  // Person of CRM row j before duplication: in the graph, or someone the graph never saw.
  const basePerson = (j: number): number => {
    const pick = new Random(seed, SALT_PICK, j);
    return pick.chance(IN_GRAPH_SHARE) ? pick.int(people) : people + j;
  };
  try {
    for (let i = 0; i < crm; i++) {
      const random = new Random(seed, SALT_ROW, i);
      let index = basePerson(i);
      if (i > 0 && random.chance(DUPLICATE_SHARE)) {
        index = basePerson(random.int(i));
        stats.crmDuplicates++;
      }
      const person = personAt(pools, seed, index);
      // A stale address: one the person left before the graph knew them.
      const stale = personAt(pools, seed + 1, index).addresses[0];
      const row = crmRowFor(random, person, stale);
      const sourceId = `C${String(i + 1).padStart(8, "0")}`;
      await crmWriter.line(`${sourceId},${CRM_COLUMNS.map((c) => csvCell(row[c])).join(",")}`);
      if (index < people) {
        stats.crmInGraph++;
        const clean = cleanKeys(row, canonical.rows(person));
        await truthWriter.line(`${sourceId},${targetIdOf(index)},${clean.join("|")}`);
      } else {
        stats.crmAbsent++;
        await truthWriter.line(`${sourceId},,`);
      }
      if (i % 100_000 === 0) progress({ phase: "crm", done: i, total: crm });
    }
    await crmWriter.close();
    await truthWriter.close();
  } catch (error) {
    crmWriter.destroy();
    truthWriter.destroy();
    throw error;
  }
  progress({ phase: "crm", done: crm, total: crm });
}

function field(
  fieldName: string,
  type: CreateSchemaMappingInput["mappedInputFields"][number]["type"],
  matchKey: string,
  hashed: boolean,
) {
  return { fieldName, type, matchKey, hashed };
}

export function graphSchema(): CreateSchemaMappingInput {
  return {
    schemaName: "synthetic_identity_graph",
    description: "Synthetic TARGET graph: SHA-256 of Amazon Ads normalized values",
    mappedInputFields: [
      { fieldName: "target_id", type: "UNIQUE_ID" },
      field("email", "EMAIL_ADDRESS", "Email", true),
      field("email_2", "EMAIL_ADDRESS", "Email", true),
      field("phone", "PHONE", "Phone", true),
      field("phone_2", "PHONE", "Phone", true),
      field("first_name", "NAME_FIRST", "FirstName", true),
      field("last_name", "NAME_LAST", "LastName", true),
      field("address", "ADDRESS", "Address", true),
      field("city", "ADDRESS_CITY", "City", true),
      field("state", "ADDRESS_STATE", "State", true),
      field("postal", "ADDRESS_POSTALCODE", "Postal", true),
    ],
  };
}

export function crmSchema(): CreateSchemaMappingInput {
  return {
    schemaName: "synthetic_crm",
    description: "Synthetic raw CRM export (unhashed)",
    mappedInputFields: [
      { fieldName: "customer_id", type: "UNIQUE_ID" },
      field("first_name", "NAME_FIRST", "FirstName", false),
      field("last_name", "NAME_LAST", "LastName", false),
      field("email", "EMAIL_ADDRESS", "Email", false),
      field("phone", "PHONE", "Phone", false),
      field("address", "ADDRESS", "Address", false),
      field("city", "ADDRESS_CITY", "City", false),
      field("state", "ADDRESS_STATE", "State", false),
      field("zip", "ADDRESS_POSTALCODE", "Postal", false),
      field("country", "ADDRESS_COUNTRY", "Country", false),
    ],
  };
}
