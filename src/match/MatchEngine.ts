import { open, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type DuckDBConnection, DuckDBInstance, listValue } from "@duckdb/node-api";
import type { Rule } from "../schemas/entity-resolution-api.ts";
import { MatchValidationError } from "./errors.ts";
import { verifiedIdSummary } from "./id-summary.ts";
import { NORMALIZE_UDF, registerNormalizeUdf } from "./normalize-udf.ts";
import {
  type PlannedField,
  type PlannedInput,
  ruleVariants,
  type SidePlan,
  slotCombinations,
} from "./plan.ts";
import { quoteIdent, quoteLiteral } from "./sql.ts";
import type { IdMappingResult, MatchProgress, RunIdMappingOptions } from "./types.ts";
import { type ValidatedMapping, validateIdMapping } from "./validate.ts";

export interface MatchEngineOptions {
  /** DuckDB worker threads. @default all cores */
  threads?: number;
  /** DuckDB memory limit, e.g. "3GB"; beyond it DuckDB spills to a temp directory. @default DuckDB's (80% of RAM) */
  memoryLimit?: string;
}

/**
 * ER's rule-based ID mapping on DuckDB. Every matchable value is compared as its hex SHA-256 (hashed
 * inputs hold it already and are taken as they are; raw ones are normalized by src/normalize, then
 * hashed to lowercase hex, which is what prepare writes), joined as the full string: DuckDB's hash join
 * hashes the key and then compares the whole value, so no fingerprint collision can make a match.
 *
 * The sources (the smaller side) are loaded once and every rule's joins build on them; each rule probes
 * the target files directly, reading only the target id and that rule's columns, so nothing of the
 * targets is kept but the candidate pairs. Target inputs that need normalizing (raw fields) or parsing
 * (CSV) are staged once into a table of digests instead, so the normalizer runs once per value.
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
      const sources = await this.openSide(plan.source, usedSlots(plan, "source"));
      await this.stageWhereNeeded(sources, "src", plan.source);
      signal?.throwIfAborted();
      progress({ phase: "load-target" });
      const targets = await this.openSide(plan.target, usedSlots(plan, "target"));
      await this.stageWhereNeeded(targets, "tgt", plan.target);
      timingsMs.load = performance.now() - started;
      signal?.throwIfAborted();

      const matchStarted = performance.now();
      await this.matchAll(plan, sources, targets, progress);
      timingsMs.match = performance.now() - matchStarted;
      signal?.throwIfAborted();

      const writeStarted = performance.now();
      progress({ phase: "write" });
      await this.writeMapping(options.outFile, plan.source.inputs.length > 1, plan.target.inputs.length > 1);
      timingsMs.write = performance.now() - writeStarted;
      const metricsStarted = performance.now();
      const result = await this.summarize(plan, options.outFile, sources, targets);
      timingsMs.metrics = performance.now() - metricsStarted;
      progress({ phase: "done" });
      return { ...result, timingsMs };
    } catch (error) {
      // An interrupted query fails with DuckDB's own INTERRUPT error: report the caller's reason instead.
      if (signal?.aborted) throw signal.reason;
      throw error;
    } finally {
      signal?.removeEventListener("abort", onAbort);
      const staged = [
        ...plan.source.inputs.map((_, index) => `DROP TABLE IF EXISTS src${index};`),
        ...plan.target.inputs.map((_, index) => `DROP TABLE IF EXISTS tgt${index};`),
      ].join(" ");
      await this.connection.run(`DROP TABLE IF EXISTS mapping; DROP TABLE IF EXISTS src_records; ${staged}`);
    }
  }

  /** Finds each input's format and columns: what reading it takes, before any row is read. */
  private async openSide(side: SidePlan, used: Set<string>): Promise<OpenInput[]> {
    // Fields no rule reads are never read: decoding a column costs as much as comparing it.
    const slots = [...side.slots.keys()].filter((slot) => used.has(slot));
    const opened: OpenInput[] = [];
    for (const [index, input] of side.inputs.entries()) {
      const param = `${side.role}_files${index}`;
      const files = listValue(input.files);
      const format = await this.formatOf(input, side.role);
      const reader = readerFor(format, param);
      const columns = await this.columnsOf(input, side.role, reader, param, files);
      opened.push({ index, input, format, reader, params: { [param]: files }, columns, slots });
    }
    return opened;
  }

  /**
   * Reads the inputs that need parsing (CSV) or normalizing (raw fields) once into a table of (inp, id, one
   * digest per slot), so that work runs once per value. Hashed Parquet is read straight from its files by
   * each rule instead: building a DuckDB table of 1M rows of 64-character digests costs ~5× reading them.
   */
  private async stageWhereNeeded(inputs: OpenInput[], prefix: string, side: SidePlan): Promise<void> {
    for (const open of inputs) {
      if (open.format !== "csv" && !open.input.fields.some((f) => !f.hashed && f.kind !== null)) continue;
      open.staged = `${prefix}${open.index}`;
      try {
        await this.connection.run(
          `CREATE OR REPLACE TABLE ${open.staged} AS ${digestSelect(open)}`,
          open.params,
        );
      } catch (error) {
        throw new MatchValidationError(
          `${side.role}: cannot load '${open.input.name}': ${withoutValues(error)}`,
          side.role,
        );
      }
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

  private async matchAll(
    plan: ValidatedMapping,
    sources: OpenInput[],
    targets: OpenInput[],
    progress: (p: MatchProgress) => void,
  ): Promise<void> {
    const c = this.connection;
    const rules = plan.rules.rules!;
    try {
      if (plan.rules.recordMatchingModel === "MANY_SOURCE_TO_ONE_TARGET") {
        // The waterfall, rule by rule: each rule joins only the sources no earlier rule mapped, so later
        // rules build smaller hash tables and DuckDB's join filters skip more target rows in the scan.
        // Among a rule's targets a source takes the smallest (target input, target id); many sources
        // may share a target.
        await c.run(
          "CREATE OR REPLACE TABLE mapping (sinp USMALLINT, sid VARCHAR, r INTEGER, tinp USMALLINT, tid VARCHAR)",
        );
        for (const [index, rule] of rules.entries()) {
          progress({ phase: "match", done: index, total: rules.length });
          const join = ruleJoin(rule, index, plan, sources, targets, true);
          // One target input: its ids alone order the candidates, and min over strings is cheaper than
          // over structs.
          await c.run(
            targets.length === 1
              ? `INSERT INTO mapping SELECT sinp, sid, ${index}, 0, min(tid)
                 FROM (${join.sql}) WHERE tid <> '' GROUP BY sinp, sid`
              : `INSERT INTO mapping SELECT sinp, sid, ${index}, b.tinp, b.tid FROM (
                   SELECT sinp, sid, min(struct_pack(tinp := tinp, tid := tid)) AS b
                   FROM (${join.sql}) WHERE tid <> '' GROUP BY sinp, sid)`,
            join.params,
          );
        }
        return;
      }
      const joins = rules.map((rule, index) => ruleJoin(rule, index, plan, sources, targets, false));
      await this.oneToOne(
        joins.map((j) => `SELECT * FROM (${j.sql}) WHERE tid <> ''`).join(" UNION ALL "),
        Object.assign({}, ...joins.map((j) => j.params)),
      );
    } catch (error) {
      // Parquet files are read here for the first time in full: a file DuckDB cannot decode fails here.
      if (error instanceof MatchValidationError || this.isInterrupted(error)) throw error;
      const read = [
        ...sources.filter((open) => !open.staged).map((open) => `source '${open.input.name}'`),
        ...targets.filter((open) => !open.staged).map((open) => `target '${open.input.name}'`),
      ];
      throw new MatchValidationError(
        `cannot read ${read.join(", ")}: ${withoutValues(error)}`,
        read.join(", "),
      );
    } finally {
      await c.run("DROP TABLE IF EXISTS cand; DROP TABLE IF EXISTS pairs");
    }
  }

  private isInterrupted(error: unknown): boolean {
    return /INTERRUPT/i.test((error as Error).message ?? "");
  }

  /**
   * ONE_SOURCE_TO_ONE_TARGET: the greedy matching over candidate pairs ordered by (rule, source,
   * target) — earlier rules first, then smaller source (input, id), then smaller target (input, id).
   * Computed in rounds of "locally dominant" pairs (the best pair of both its source and its target),
   * which yields exactly that greedy result while each round is one set-based query.
   */
  private async oneToOne(
    candidates: string,
    params: Record<string, ReturnType<typeof listValue>>,
  ): Promise<void> {
    const c = this.connection;
    // Source records get dense numbers in (input, id) order: the rounds below group and compare
    // integers, and "smaller source" still means smaller (input, id).
    await c.run(`CREATE OR REPLACE TEMP TABLE pairs AS ${candidates}`, params);
    await c.run(
      `CREATE OR REPLACE TEMP TABLE src_records AS
       SELECT sinp AS inp, sid AS id, row_number() OVER (ORDER BY sinp, sid)::UINTEGER AS rec
       FROM (SELECT DISTINCT sinp, sid FROM pairs)`,
    );
    await c.run(
      `CREATE OR REPLACE TEMP TABLE cand AS
       SELECT sr.rec, p.tinp, p.tid, min(p.r) AS r FROM pairs p
       JOIN src_records sr ON sr.inp = p.sinp AND sr.id = p.sid GROUP BY ALL`,
    );
    await c.run("DROP TABLE pairs");
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
    sources: OpenInput[],
    targets: OpenInput[],
  ): Promise<Omit<IdMappingResult, "timingsMs">> {
    // Rows, rows with an id, and distinct (input, id) pairs in one pass. Distinct ids are counted over
    // 64-bit hashes of (input, id), about half the work of grouping the strings on 10M targets; with n
    // ids the chance that two distinct ones share a hash, and the count comes out one short, is about
    // n^2 / 2^65: 3·10^-6 at 10M ids. Matching itself never relies on a hash (see the class comment).
    const counts = async (rows: string, params: Record<string, ReturnType<typeof listValue>> = {}) => {
      const row = (
        await this.connection.runAndReadAll(
          `SELECT coalesce(sum(n), 0), coalesce(sum(n) FILTER (WHERE h IS NOT NULL), 0), count(h)
           FROM (SELECT CASE WHEN id IS NOT NULL THEN hash(inp, id) END AS h, count(*) AS n FROM (${rows}) GROUP BY h)`,
          params,
        )
      ).getRowsJS()[0]!;
      return { rows: Number(row[0]), withId: Number(row[1]), unique: Number(row[2]) };
    };
    // A Parquet file whose writer recorded its id counts (src/match/id-summary.ts) is checked, not counted.
    const idsOf = async (inputs: OpenInput[]) => {
      const total = { rows: 0, withId: 0, unique: 0 };
      const counted: OpenInput[] = [];
      for (const open of inputs) {
        const summary =
          open.format === "parquet" && !open.staged && open.input.files.length === 1
            ? await verifiedIdSummary(
                this.connection,
                open.input.files[0]!,
                open.columns.get(open.input.idField)!,
              )
            : null;
        if (summary === null) counted.push(open);
        else for (const key of ["rows", "withId", "unique"] as const) total[key] += summary[key];
      }
      if (counted.length > 0) {
        const c = await counts(
          counted.map((open) => `(${idSelect(open)})`).join(" UNION ALL "),
          Object.assign({}, ...counted.map((open) => (open.staged ? {} : open.params))),
        );
        for (const key of ["rows", "withId", "unique"] as const) total[key] += c[key];
      }
      return total;
    };
    const s = await idsOf(sources);
    const t = await idsOf(targets);
    // Every source record appears in the mapping once at most, under both record matching models.
    const perRuleRows = (
      await this.connection.runAndReadAll(
        "SELECT r, count(*), count(DISTINCT (tinp, tid)) FROM mapping GROUP BY ROLLUP (r)",
      )
    ).getRowsJS();
    const byRule = new Map(
      perRuleRows.map((row) => [row[0] === null ? -1 : Number(row[0]), [Number(row[1]), Number(row[2])]]),
    );
    const totals = byRule.get(-1) ?? [0, 0];
    return {
      outFile,
      metrics: {
        inputRecords: s.rows + t.rows,
        totalRecordsProcessed: s.withId + t.withId,
        recordsNotProcessed: s.rows - s.withId + (t.rows - t.withId),
        totalMappedRecords: totals[0]!,
        totalMappedSourceRecords: totals[0]!,
        totalMappedTargetRecords: totals[1]!,
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

/** One input with what reading it takes: its reader (a DuckDB table function), parameters, columns. */
interface OpenInput {
  index: number;
  input: PlannedInput;
  format: FileFormat;
  reader: string;
  params: Record<string, ReturnType<typeof listValue>>;
  columns: Map<string, string>;
  /** The side's slots that rules read. */
  slots: string[];
  /** The table this input was read into once (CSV, raw fields), else it is read from its files per rule. */
  staged?: string;
}

function columnOf(open: OpenInput, field: string): string {
  return `CAST(${quoteIdent(open.columns.get(field)!)} AS VARCHAR)`;
}

function idExpression(open: OpenInput): string {
  const id = columnOf(open, open.input.idField);
  return `CASE WHEN ${id} <> '' THEN ${id} END`;
}

/** Every row of one input as (inp, id): what the metrics count. */
function idSelect(open: OpenInput): string {
  return open.staged
    ? `SELECT inp, id FROM ${open.staged}`
    : `SELECT ${open.index}::USMALLINT AS inp, ${idExpression(open)} AS id FROM ${open.reader}`;
}

/**
 * The SQL that turns a row's field into the hex digest rules compare, or NULL when the field is blank.
 * Hashed fields are compared as they are (prepare writes lowercase hex): trimming, case-folding or
 * validating each of 100M+ values would cost more than the joins.
 */
function digestOf(
  open: OpenInput,
  field: PlannedField,
): { token: string; digest: (token: string) => string } {
  if (field.hashed) {
    return {
      token: columnOf(open, field.fieldName),
      digest: (t) => `CASE WHEN ${t} <> '' AND ${t} <> '${EMPTY_SHA256}' THEN ${t} END`,
    };
  }
  const trimmed = (name: string) => `nullif(trim(${columnOf(open, name)}), '')`;
  const country = open.input.countryField ? `coalesce(${trimmed(open.input.countryField)}, '')` : `''`;
  const token = field.kind
    ? `nullif(${NORMALIZE_UDF}(${quoteLiteral(field.kind)}, ${trimmed(field.fieldName)}, ${country}), '')`
    : trimmed(field.fieldName);
  // A raw column may already hold digests (normalizeValue passes them through): use them as they are.
  return {
    token,
    digest: (t) =>
      `CASE WHEN ${t} <> '' THEN (CASE WHEN regexp_full_match(${t}, '[0-9a-f]{64}') THEN ${t} ELSE sha256(${t}) END) END`,
  };
}

/** One input's rows as (inp, id, one digest per used slot, NULL where the input lacks the field). */
function digestSelect(open: OpenInput): string {
  const bySlot = new Map<string, PlannedField>(open.input.fields.map((f) => [f.slot, f]));
  const tokens: string[] = [];
  const outputs: string[] = [];
  for (const [i, slot] of open.slots.entries()) {
    const field = bySlot.get(slot);
    if (!field) {
      outputs.push(`NULL::VARCHAR AS ${quoteIdent(slot)}`);
      continue;
    }
    const { token, digest } = digestOf(open, field);
    tokens.push(`${token} AS t${i}`);
    outputs.push(`${digest(`t${i}`)} AS ${quoteIdent(slot)}`);
  }
  return `SELECT ${open.index}::USMALLINT AS inp, id${outputs.map((o) => `, ${o}`).join("")} FROM (
    SELECT ${idExpression(open)} AS id${tokens.map((t) => `, ${t}`).join("")} FROM ${open.reader})`;
}

/**
 * The rows of one source input that can meet a rule through the given slots: (inp, id, v0, v1, …), only
 * rows with an id and a digest in every slot.
 */
function sourceRows(open: OpenInput, combo: string[]): string | null {
  const bySlot = new Map<string, PlannedField>(open.input.fields.map((f) => [f.slot, f]));
  if (!combo.every((slot) => bySlot.has(slot))) return null; // a missing field is NULL: never equal
  const present = ["id", ...combo.map((_, i) => `v${i}`)].map((c) => `${c} IS NOT NULL`).join(" AND ");
  if (open.staged) {
    const values = combo.map((slot, i) => `${quoteIdent(slot)} AS v${i}`).join(", ");
    return `SELECT * FROM (SELECT inp, id, ${values} FROM ${open.staged}) WHERE ${present}`;
  }
  const digests = combo.map((slot) => digestOf(open, bySlot.get(slot)!));
  return `SELECT * FROM (
    SELECT ${open.index}::USMALLINT AS inp, id, ${digests.map((d, i) => `${d.digest(`t${i}`)} AS v${i}`).join(", ")}
    FROM (SELECT ${idExpression(open)} AS id, ${digests.map((d, i) => `${d.token} AS t${i}`).join(", ")} FROM ${open.reader})
  ) WHERE ${present}`;
}

/**
 * The rows of one target input that can meet a rule through the given slots: (inp, id, v0, v1, …).
 * Target values are not checked for blanks: they are only ever compared with source digests, which
 * never are blank. Nor are ids checked here: a condition on the id would be evaluated for every row of
 * the file, while after the join only the rows that met a source remain (the caller drops blank ids).
 */
function targetRows(open: OpenInput, combo: string[]): string | null {
  const bySlot = new Map<string, PlannedField>(open.input.fields.map((f) => [f.slot, f]));
  if (!combo.every((slot) => bySlot.has(slot))) return null; // a missing field is NULL: never equal
  const values = combo.map((slot, i) =>
    open.staged ? `${quoteIdent(slot)} AS v${i}` : `${columnOf(open, bySlot.get(slot)!.fieldName)} AS v${i}`,
  );
  const id = open.staged ? "id" : `${columnOf(open, open.input.idField)} AS id`;
  return `SELECT ${open.index}::USMALLINT AS inp, ${id}, ${values.join(", ")} FROM ${open.staged ?? open.reader}`;
}

/**
 * The candidate pairs (r, sinp, sid, tinp, tid) of one rule: every way its keys can agree, under the
 * attribute matching model. The sources build the join's hash table; the targets stream through it.
 */
function ruleJoin(
  rule: Rule,
  index: number,
  plan: ValidatedMapping,
  sources: OpenInput[],
  targets: OpenInput[],
  unmappedOnly: boolean,
): { sql: string; params: Record<string, ReturnType<typeof listValue>> } {
  const parts: string[] = [];
  const params: Record<string, ReturnType<typeof listValue>> = {};
  for (const variant of ruleVariants(
    rule.matchingKeys,
    plan.rules.attributeMatchingModel,
    plan.source,
    plan.target,
  )) {
    const sourceRowsOf: string[] = [];
    for (const combo of slotCombinations(variant.map((v) => v.sourceSlots))) {
      for (const source of sources) {
        const rows = sourceRows(source, combo);
        if (rows === null) continue;
        sourceRowsOf.push(rows);
        if (!source.staged) Object.assign(params, source.params);
      }
    }
    const targetRowsOf: string[] = [];
    for (const combo of slotCombinations(variant.map((v) => v.targetSlots))) {
      for (const target of targets) {
        const rows = targetRows(target, combo);
        if (rows === null) continue;
        targetRowsOf.push(rows);
        if (!target.staged) Object.assign(params, target.params);
      }
    }
    if (sourceRowsOf.length === 0 || targetRowsOf.length === 0) continue;
    const arity = variant.length;
    const unmapped = unmappedOnly
      ? " WHERE NOT EXISTS (SELECT 1 FROM mapping m WHERE m.sinp = s0.inp AND m.sid = s0.id)"
      : "";
    const on = Array.from({ length: arity }, (_, i) => `s.v${i} = t.v${i}`).join(" AND ");
    parts.push(
      `SELECT ${index} AS r, s.inp AS sinp, s.id AS sid, t.inp AS tinp, t.id AS tid ` +
        `FROM (SELECT * FROM (${sourceRowsOf.join(" UNION ALL ")}) s0${unmapped}) s ` +
        `JOIN (${targetRowsOf.join(" UNION ALL ")}) t ON ${on}`,
    );
  }
  // A rule no field pair can satisfy (ONE_TO_ONE with no common sub-type) matches nothing.
  return {
    sql:
      parts.length > 0
        ? parts.join(" UNION ALL ")
        : `SELECT ${index} AS r, 0::USMALLINT AS sinp, ''::VARCHAR AS sid, 0::USMALLINT AS tinp, ''::VARCHAR AS tid WHERE false`,
    params,
  };
}
