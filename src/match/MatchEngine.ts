import { open, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type DuckDBConnection, DuckDBInstance, listValue } from "@duckdb/node-api";
import type { Rule } from "../schemas/entity-resolution-api.ts";
import { MatchValidationError } from "./errors.ts";
import { NORMALIZE_UDF, registerNormalizeUdf } from "./normalize-udf.ts";
import {
  type PlannedField,
  type PlannedInput,
  ruleVariants,
  type SidePlan,
  slotCombinations,
} from "./plan.ts";
import { quoteIdent, quoteLiteral } from "./sql.ts";
import type { IdMappingResult, RunIdMappingOptions } from "./types.ts";
import { type ValidatedMapping, validateIdMapping } from "./validate.ts";

export interface MatchEngineOptions {
  /** DuckDB worker threads. @default all cores */
  threads?: number;
  /** DuckDB memory limit, e.g. "3GB"; beyond it DuckDB spills to a temp directory. @default DuckDB's (80% of RAM) */
  memoryLimit?: string;
}

/**
 * ER's rule-based ID mapping on DuckDB. Every matchable value becomes a 64-bit fingerprint: DuckDB's
 * hash() of its hex SHA-256 (hashed inputs hold it already and are taken as they are; raw ones are
 * normalized by src/normalize, then hashed to lowercase hex, which is what prepare writes). With 10M target and 1M source values the expected number of accidental
 * fingerprint collisions is about 10^13 / 2^64 ≈ 5·10^-7 per key, and joining 8-byte integers instead
 * of 64-character strings is what keeps 10M targets inside a few hundred MB.
 */
export class MatchEngine {
  /** The normalizer UDF is registered once per connection and reads the current job's country here. */
  private readonly normalizer = { registered: false, country: "US" };

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async create(options: MatchEngineOptions = {}): Promise<MatchEngine> {
    const config: Record<string, string> = {
      temp_directory: path.join(tmpdir(), `idbridge-match-${process.pid}`),
      preserve_insertion_order: "false",
    };
    if (options.threads) config.threads = String(options.threads);
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    const instance = await DuckDBInstance.create(":memory:", config);
    try {
      return new MatchEngine(instance, await instance.connect());
    } catch (error) {
      instance.closeSync();
      throw error;
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  /** Runs one ID mapping job; the engine can run several in turn. */
  async run(options: Omit<RunIdMappingOptions, "threads" | "memoryLimit">): Promise<IdMappingResult> {
    const plan = validateIdMapping(options);
    const progress = options.onProgress ?? (() => {});
    const signal = options.signal;
    const onAbort = () => this.connection.interrupt();
    signal?.addEventListener("abort", onAbort);
    const timingsMs = { load: 0, match: 0, write: 0, metrics: 0 };
    const started = performance.now();
    try {
      signal?.throwIfAborted();
      await this.prepareNames(plan);
      this.normalizer.country = options.country ?? "US";
      if (!this.normalizer.registered && (needsNormalizer(plan.source) || needsNormalizer(plan.target))) {
        registerNormalizeUdf(this.connection, () => this.normalizer.country);
        this.normalizer.registered = true;
      }
      progress({ phase: "load-source" });
      await this.loadSide("src", plan.source, usedSlots(plan, "source"));
      signal?.throwIfAborted();
      progress({ phase: "load-target" });
      await this.loadSide("tgt", plan.target, usedSlots(plan, "target"));
      timingsMs.load = performance.now() - started;
      signal?.throwIfAborted();

      const matchStarted = performance.now();
      progress({ phase: "match", done: 0, total: plan.rules.rules!.length });
      await this.matchAll(plan);
      timingsMs.match = performance.now() - matchStarted;
      signal?.throwIfAborted();

      const writeStarted = performance.now();
      progress({ phase: "write" });
      await this.writeMapping(options.outFile, plan.source.inputs.length > 1, plan.target.inputs.length > 1);
      timingsMs.write = performance.now() - writeStarted;
      const metricsStarted = performance.now();
      const result = await this.summarize(plan, options.outFile);
      timingsMs.metrics = performance.now() - metricsStarted;
      progress({ phase: "done" });
      return { ...result, timingsMs };
    } catch (error) {
      // An interrupted query fails with DuckDB's own INTERRUPT error: report the caller's reason instead.
      if (signal?.aborted) throw signal.reason;
      throw error;
    } finally {
      signal?.removeEventListener("abort", onAbort);
      await this.connection.run(
        "DROP TABLE IF EXISTS src; DROP TABLE IF EXISTS tgt; DROP TABLE IF EXISTS mapping; DROP TABLE IF EXISTS src_records",
      );
    }
  }

  private async loadSide(table: "src" | "tgt", side: SidePlan, used: Set<string>): Promise<void> {
    // Fields no rule reads are not loaded: fingerprinting a column costs as much as reading it.
    const slots = [...side.slots.keys()].filter((slot) => used.has(slot));
    const selects: string[] = [];
    const params: Record<string, ReturnType<typeof listValue>> = {};
    for (const [index, input] of side.inputs.entries()) {
      const param = `files${index}`;
      params[param] = listValue(input.files);
      const reader = readerFor(await this.formatOf(input, side.role), param);
      const columns = await this.columnsOf(input, side.role, reader, param, params[param]);
      selects.push(loadSelect(index, input, slots, columns, reader));
    }
    try {
      await this.connection.run(
        `CREATE OR REPLACE TABLE ${table} AS ${selects.map((s) => `(${s})`).join(" UNION ALL ")}`,
        params,
      );
    } catch (error) {
      throw new MatchValidationError(
        `${side.role}: cannot load ${side.inputs.map((i) => `'${i.name}'`).join(", ")}: ${withoutValues(error)}`,
        side.role,
      );
    }
  }

  private async formatOf(input: PlannedInput, role: string): Promise<FileFormat> {
    try {
      return await formatOf(input.files);
    } catch (error) {
      throw new MatchValidationError(
        `${role} '${input.name}': cannot read ${input.files[0]}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        `${role} '${input.name}'`,
      );
    }
  }

  /** Resolves each schema field to a column of the files, case-insensitively as Glue does. */
  private async columnsOf(
    input: PlannedInput,
    role: string,
    reader: string,
    param: string,
    files: ReturnType<typeof listValue>,
  ): Promise<Map<string, string>> {
    let names: string[];
    try {
      const described = await this.connection.runAndReadAll(`DESCRIBE SELECT * FROM ${reader}`, {
        [param]: files,
      });
      names = described.getRowsJS().map((row) => String(row[0]));
    } catch (error) {
      throw new MatchValidationError(
        `${role} '${input.name}': cannot read ${input.files.join(", ")}: ${withoutValues(error)}`,
        `${role} '${input.name}'`,
      );
    }
    const byLower = new Map(names.map((n) => [n.trim().toLowerCase(), n]));
    const wanted = [
      input.idField,
      ...input.fields.map((f) => f.fieldName),
      ...(input.countryField ? [input.countryField] : []),
    ];
    const columns = new Map<string, string>();
    for (const field of wanted) {
      const column = byLower.get(field.trim().toLowerCase());
      if (column === undefined) {
        throw new MatchValidationError(
          // The file's column names stay out of the message: a broken header row can hold data.
          `${role} '${input.name}': field '${field}' of the schema mapping is not a column of ${input.files[0]}` +
            ` (${names.length} columns; check the header row and the schema mapping's fieldName values)`,
          `${role} '${input.name}' field '${field}'`,
        );
      }
      columns.set(field, column);
    }
    return columns;
  }

  private async matchAll(plan: ValidatedMapping): Promise<void> {
    const c = this.connection;
    // Source records get dense numbers in (input, id) order: the candidate pairs and every grouping
    // over them then work on integers, and "smaller source" still means smaller (input, id).
    await c.run(
      "CREATE OR REPLACE TABLE src AS SELECT *, dense_rank() OVER (ORDER BY inp, id)::UINTEGER AS rec FROM src",
    );
    await c.run(
      "CREATE OR REPLACE TEMP TABLE src_records AS SELECT DISTINCT rec, inp, id FROM src WHERE id IS NOT NULL",
    );
    const candidates = plan.rules
      .rules!.map((rule, index) => ruleJoin(rule, index, plan))
      .join(" UNION ALL ");
    try {
      if (plan.rules.recordMatchingModel === "MANY_SOURCE_TO_ONE_TARGET") {
        // Each source takes its first rule that matched and, among that rule's targets, the smallest
        // (target input, target id): many sources may share a target. Ties are rare, so the string
        // comparison runs only on the candidates of each source's first rule.
        await c.run(`CREATE OR REPLACE TEMP TABLE cand AS ${candidates}`);
        await c.run(
          `CREATE OR REPLACE TABLE mapping AS
           SELECT sr.inp AS sinp, sr.id AS sid, m.r, m.b.tinp AS tinp, m.b.tid AS tid FROM (
             SELECT c.rec, c.r, min(struct_pack(tinp := c.tinp, tid := c.tid)) AS b
             FROM cand c JOIN (SELECT rec, min(r) AS r FROM cand GROUP BY rec) best ON best.rec = c.rec AND best.r = c.r
             GROUP BY c.rec, c.r) m
           JOIN src_records sr ON sr.rec = m.rec`,
        );
        return;
      }
      await this.oneToOne(candidates);
    } finally {
      await c.run("DROP TABLE IF EXISTS cand");
    }
  }

  /**
   * ONE_SOURCE_TO_ONE_TARGET: the greedy matching over candidate pairs ordered by (rule, source,
   * target) — earlier rules first, then smaller source (input, id), then smaller target (input, id).
   * Computed in rounds of "locally dominant" pairs (the best pair of both its source and its target),
   * which yields exactly that greedy result while each round is one set-based query.
   */
  private async oneToOne(candidates: string): Promise<void> {
    const c = this.connection;
    await c.run(
      `CREATE OR REPLACE TEMP TABLE cand AS SELECT rec, tinp, tid, min(r) AS r FROM (${candidates}) GROUP BY ALL`,
    );
    await c.run(
      "CREATE OR REPLACE TABLE mapping (sinp USMALLINT, sid VARCHAR, r INTEGER, tinp USMALLINT, tid VARCHAR)",
    );
    try {
      for (;;) {
        await c.run(
          `CREATE OR REPLACE TEMP TABLE chosen AS
           SELECT c.rec, c.r, c.tinp, c.tid FROM cand c
           JOIN (SELECT rec, min(struct_pack(r := r, tinp := tinp, tid := tid)) AS b FROM cand GROUP BY rec) bs
             ON bs.rec = c.rec AND bs.b.r = c.r AND bs.b.tinp = c.tinp AND bs.b.tid = c.tid
           JOIN (SELECT tinp, tid, min(struct_pack(r := r, rec := rec)) AS b FROM cand GROUP BY ALL) bt
             ON bt.tinp = c.tinp AND bt.tid = c.tid AND bt.b.r = c.r AND bt.b.rec = c.rec`,
        );
        const chosen = await this.count("SELECT count(*) FROM chosen");
        if (chosen === 0) break;
        await c.run(
          "INSERT INTO mapping SELECT sr.inp, sr.id, c.r, c.tinp, c.tid FROM chosen c JOIN src_records sr ON sr.rec = c.rec",
        );
        await c.run(
          `DELETE FROM cand WHERE rec IN (SELECT rec FROM chosen)
             OR (tinp, tid) IN (SELECT (tinp, tid) FROM chosen)`,
        );
      }
    } finally {
      await c.run("DROP TABLE IF EXISTS chosen");
    }
  }

  private async writeMapping(outFile: string, sourceNames: boolean, targetNames: boolean): Promise<void> {
    const temp = path.join(path.dirname(outFile), `.${path.basename(outFile)}.${process.pid}.tmp`);
    const names = [
      ...(sourceNames ? ["src_names.name AS source_name"] : []),
      ...(targetNames ? ["tgt_names.name AS target_name"] : []),
    ];
    try {
      await this.connection.run(
        `COPY (
           SELECT m.sid AS source_id, m.tid AS target_id, rule_names.name AS match_rule${names.map((n) => `, ${n}`).join("")}
           FROM mapping m
           JOIN rule_names ON rule_names.r = m.r
           JOIN src_names ON src_names.inp = m.sinp
           JOIN tgt_names ON tgt_names.inp = m.tinp
           ORDER BY m.sinp, m.sid
         ) TO $out (FORMAT parquet, COMPRESSION zstd)`,
        { out: temp },
      );
      await rename(temp, outFile);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  /**
   * ER's job metrics, counted over both sides (ER's "input records" are all records the job read):
   * inputRecords = rows read; totalRecordsProcessed = rows with a unique id; recordsNotProcessed = rows
   * without one (skipped); uniqueRecordsLoaded = distinct (input, unique id) — rows sharing an id are one
   * record; totalMappedRecords = mapping rows; totalMappedSourceRecords / totalMappedTargetRecords =
   * distinct source / target records in the mapping. Per rule: the same two counts for the rows it decided.
   */
  private async summarize(
    plan: ValidatedMapping,
    outFile: string,
  ): Promise<Omit<IdMappingResult, "timingsMs">> {
    const side = async (table: string, distinct: string) => {
      const row = (
        await this.connection.runAndReadAll(`SELECT count(*), count(id), ${distinct} FROM ${table}`)
      ).getRowsJS()[0]!;
      return { rows: Number(row[0]), withId: Number(row[1]), unique: Number(row[2]) };
    };
    const s = await side("src", "(SELECT count(*) FROM src_records)");
    // Distinct target ids are counted over 64-bit hashes of (input, id), a third cheaper than over the
    // strings; with 10M ids the chance of undercounting by one is about 10^14 / 2^65 ≈ 3·10^-6.
    const t = await side("tgt", "count(DISTINCT hash(inp, id)) FILTER (WHERE id IS NOT NULL)");
    const totals = (
      await this.connection.runAndReadAll(
        "SELECT count(*), count(DISTINCT (sinp, sid)), count(DISTINCT (tinp, tid)) FROM mapping",
      )
    ).getRowsJS()[0]!;
    const perRuleRows = (
      await this.connection.runAndReadAll(
        "SELECT r, count(DISTINCT (sinp, sid)), count(DISTINCT (tinp, tid)) FROM mapping GROUP BY r",
      )
    ).getRowsJS();
    const byRule = new Map(perRuleRows.map((row) => [Number(row[0]), [Number(row[1]), Number(row[2])]]));
    return {
      outFile,
      metrics: {
        inputRecords: s.rows + t.rows,
        totalRecordsProcessed: s.withId + t.withId,
        recordsNotProcessed: s.rows - s.withId + (t.rows - t.withId),
        totalMappedRecords: Number(totals[0]),
        totalMappedSourceRecords: Number(totals[1]),
        totalMappedTargetRecords: Number(totals[2]),
        uniqueRecordsLoaded: s.unique + t.unique,
      },
      perRule: plan.rules.rules!.map((rule, index) => ({
        ruleName: rule.ruleName,
        mappedSourceRecords: byRule.get(index)?.[0] ?? 0,
        mappedTargetRecords: byRule.get(index)?.[1] ?? 0,
      })),
    };
  }

  private async count(sql: string): Promise<number> {
    return Number((await this.connection.runAndReadAll(sql)).getRowsJS()[0]![0]);
  }

  /** Registers the small lookup tables that turn engine indexes back into names. */
  private async prepareNames(plan: ValidatedMapping): Promise<void> {
    await this.nameTable(
      "rule_names",
      "r",
      plan.rules.rules!.map((r) => r.ruleName),
    );
    await this.nameTable(
      "src_names",
      "inp",
      plan.source.inputs.map((i) => i.name),
    );
    await this.nameTable(
      "tgt_names",
      "inp",
      plan.target.inputs.map((i) => i.name),
    );
  }

  private async nameTable(table: string, key: string, names: string[]): Promise<void> {
    await this.connection.run(`CREATE OR REPLACE TABLE ${table} (${key} INTEGER, name VARCHAR)`);
    const appender = await this.connection.createAppender(table);
    try {
      for (const [index, name] of names.entries()) {
        appender.appendInteger(index);
        appender.appendVarchar(name);
        appender.endRow();
      }
    } finally {
      appender.closeSync();
    }
  }
}

function usedSlots(plan: ValidatedMapping, role: "source" | "target"): Set<string> {
  const used = new Set<string>();
  for (const rule of plan.rules.rules!) {
    for (const variant of ruleVariants(
      rule.matchingKeys,
      plan.rules.attributeMatchingModel,
      plan.source,
      plan.target,
    )) {
      for (const key of variant)
        for (const slot of role === "source" ? key.sourceSlots : key.targetSlots) used.add(slot);
    }
  }
  return used;
}

function needsNormalizer(side: SidePlan): boolean {
  return side.inputs.some((input) => input.fields.some((f) => !f.hashed && f.kind !== null));
}

/**
 * DuckDB's message, first line only and with quoted text blanked: CSV and conversion errors quote the
 * offending value, and identity values must never reach an error.
 */
function withoutValues(error: unknown): string {
  const first = ((error as Error).message ?? String(error)).split("\n")[0]!;
  return first.replace(/'[^']*'|"[^"]*"/g, "'…'");
}

type FileFormat = "csv" | "parquet";

/**
 * Parquet or CSV, by extension, else by Parquet's "PAR1" magic: the local cloud's S3 objects (ER job
 * inputs) keep whatever key the user gave them.
 */
async function formatOf(files: string[]): Promise<FileFormat> {
  if (files.every((f) => /\.parquet$/i.test(f))) return "parquet";
  if (files.every((f) => /\.(csv|tsv|txt)(\.gz)?$/i.test(f))) return "csv";
  const handle = await open(files[0]!, "r");
  try {
    const magic = Buffer.alloc(4);
    await handle.read(magic, 0, 4, 0);
    return magic.toString("latin1") === "PAR1" ? "parquet" : "csv";
  } finally {
    await handle.close();
  }
}

function readerFor(format: FileFormat, param: string): string {
  return format === "csv"
    ? `read_csv($${param}, all_varchar = true, header = true, skip = 0, union_by_name = true)`
    : `read_parquet($${param}, union_by_name = true)`;
}

// SHA-256 of "": a hashed blank is still blank.
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** The SELECT that turns one input's rows into (inp, id, fingerprint per slot). */
function loadSelect(
  index: number,
  input: PlannedInput,
  slots: string[],
  columns: Map<string, string>,
  reader: string,
): string {
  const column = (field: string) => `CAST(${quoteIdent(columns.get(field)!)} AS VARCHAR)`;
  const trimmed = (field: string) => `nullif(trim(${column(field)}), '')`;
  const country = input.countryField ? `coalesce(${trimmed(input.countryField)}, '')` : `''`;
  const tokens: string[] = [];
  const outputs: string[] = [];
  const bySlot = new Map<string, PlannedField>(input.fields.map((f) => [f.slot, f]));
  for (const [i, slot] of slots.entries()) {
    const field = bySlot.get(slot);
    if (!field) {
      outputs.push(`NULL::UBIGINT AS ${quoteIdent(slot)}`);
      continue;
    }
    const token = `t${i}`;
    if (field.hashed) {
      // Digests are compared as they are (prepare writes lowercase hex): trimming, case-folding or
      // validating each of 100M+ values costs more than all the joins. Empty and the digest of "" stay NULL.
      tokens.push(`${column(field.fieldName)} AS ${token}`);
      outputs.push(
        `CASE WHEN ${token} <> '' AND ${token} <> '${EMPTY_SHA256}' THEN hash(${token}) END AS ${quoteIdent(slot)}`,
      );
    } else {
      const normalized = field.kind
        ? `nullif(${NORMALIZE_UDF}(${quoteLiteral(field.kind)}, ${trimmed(field.fieldName)}, ${country}), '')`
        : trimmed(field.fieldName);
      tokens.push(`${normalized} AS ${token}`);
      // A raw column may already hold digests (normalizeValue passes them through): use them as they are.
      outputs.push(
        `CASE WHEN ${token} <> '' THEN hash(CASE WHEN regexp_full_match(${token}, '[0-9a-f]{64}') ` +
          `THEN ${token} ELSE sha256(${token}) END) END AS ${quoteIdent(slot)}`,
      );
    }
  }
  const id = column(input.idField);
  return `SELECT ${index}::USMALLINT AS inp, id, ${outputs.join(", ")} FROM (
    SELECT CASE WHEN ${id} <> '' THEN ${id} END AS id${tokens.map((t) => `, ${t}`).join("")}
    FROM ${reader})`;
}

/** The candidate pairs of one rule: every way its keys can agree, under the attribute matching model. */
function ruleJoin(rule: Rule, index: number, plan: ValidatedMapping): string {
  const parts: string[] = [];
  for (const variant of ruleVariants(
    rule.matchingKeys,
    plan.rules.attributeMatchingModel,
    plan.source,
    plan.target,
  )) {
    const sourceCombos = slotCombinations(variant.map((v) => v.sourceSlots));
    const targetCombos = slotCombinations(variant.map((v) => v.targetSlots));
    if (sourceCombos.length === 0 || targetCombos.length === 0) continue;
    // A rule of several keys joins on one 64-bit hash of its fingerprints: a single-column hash join is
    // several times cheaper than one on five columns, at another 2^-64 chance of a false candidate.
    const key = (combo: string[]) =>
      combo.length === 1 ? quoteIdent(combo[0]!) : `hash(${combo.map(quoteIdent).join(", ")})`;
    const side = (table: string, list: string[][]) =>
      list
        .map(
          (combo) =>
            `SELECT ${table === "src" ? "rec" : "inp, id"}, ${key(combo)} AS k FROM ${table} ` +
            `WHERE id IS NOT NULL ${combo.map((slot) => `AND ${quoteIdent(slot)} IS NOT NULL`).join(" ")}`,
        )
        .join(" UNION ALL ");
    const on = "s.k = t.k";
    parts.push(
      `SELECT ${index} AS r, s.rec, t.inp AS tinp, t.id AS tid ` +
        `FROM (${side("src", sourceCombos)}) s JOIN (${side("tgt", targetCombos)}) t ON ${on}`,
    );
  }
  // A rule no field pair can satisfy (ONE_TO_ONE with no common sub-type) matches nothing.
  return parts.length > 0
    ? parts.join(" UNION ALL ")
    : `SELECT ${index} AS r, 0::UINTEGER AS rec, 0::USMALLINT AS tinp, ''::VARCHAR AS tid WHERE false`;
}
