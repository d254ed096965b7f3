// Quality of an ID mapping against ground truth: precision, recall, F1, match rate, per rule.
import { access } from "node:fs/promises";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Rule } from "../schemas/entity-resolution-api.ts";

export interface EvaluateOptions {
  /** Parquet with source_id, target_id, match_rule (as runIdMapping writes it). */
  mapping: string;
  /** CSV with source_id,target_id[,clean_keys]; an empty target_id means the person is not in the graph. */
  truth: string;
  /** With a clean_keys column in the truth, also report the recall these rules could reach at best. */
  rules?: Rule[];
}

export interface Evaluation {
  precision: number;
  recall: number;
  f1: number;
  matchRate: number;
  sourceRecords: number;
  /** Source records the truth knows to be in the graph: the denominator of recall. */
  sourceRecordsInTarget: number;
  mappedSourceRecords: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Mapping rows whose source_id the truth does not list; left out of every figure above. */
  unknownSourceRecords: number;
  /**
   * Share of in-graph source records for which some rule's keys all normalize to a value their true
   * target holds (truth's clean_keys): no exact-match engine can recall more with these rules.
   */
  recallBound?: number;
  perRule: Array<{ ruleName: string; mapped: number; precision: number }>;
}

/**
 * Everything is counted per source record (one truth row = one source id):
 * - a true positive is a mapped source whose target is its true target;
 * - a false positive is a mapped source whose target is not its true target (including sources the
 *   truth says are absent from the graph);
 * - a false negative is a source with a true target that is not mapped to it (unmapped, or mapped
 *   wrongly — so a wrong mapping costs both precision and recall);
 * precision = TP / (TP + FP), recall = TP / sources with a true target, F1 their harmonic mean,
 * match rate = mapped sources / all sources.
 */
export async function evaluate(options: EvaluateOptions): Promise<Evaluation> {
  for (const file of [options.mapping, options.truth]) {
    await access(file).catch(() => {
      throw new Error(`cannot read ${file}: no such file`);
    });
  }
  const db = await DuckDBInstance.create(":memory:");
  const connection = await db.connect();
  try {
    await connection.run(
      `CREATE TABLE truth AS SELECT CAST(source_id AS VARCHAR) AS source_id, nullif(trim(CAST(target_id AS VARCHAR)), '') AS target_id
       ${(await hasColumn(connection, options.truth, "clean_keys")) ? ", coalesce(clean_keys, '') AS clean_keys" : ", NULL::VARCHAR AS clean_keys"}
       FROM read_csv($truth, header = true, all_varchar = true)`,
      { truth: options.truth },
    );
    const duplicated = await scalar(connection, "SELECT count(*) - count(DISTINCT source_id) FROM truth");
    if (duplicated > 0)
      throw new Error(`${options.truth}: ${duplicated} source_id values appear more than once`);
    await connection.run(
      `CREATE TABLE mapping AS
       SELECT CAST(source_id AS VARCHAR) AS source_id, CAST(target_id AS VARCHAR) AS target_id,
              CAST(match_rule AS VARCHAR) AS match_rule FROM read_parquet($mapping)`,
      { mapping: options.mapping },
    );
    // A source mapped to several targets (several source inputs) counts once: right if any target is.
    await connection.run(
      `CREATE TABLE judged AS
       SELECT m.source_id, min(m.match_rule) AS match_rule, bool_or(m.target_id = t.target_id) AS correct,
              any_value(t.source_id IS NULL) AS unknown
       FROM mapping m LEFT JOIN truth t USING (source_id) GROUP BY m.source_id`,
    );
    const sourceRecords = await scalar(connection, "SELECT count(*) FROM truth");
    const inTarget = await scalar(connection, "SELECT count(*) FROM truth WHERE target_id IS NOT NULL");
    const unknown = await scalar(connection, "SELECT count(*) FROM judged WHERE unknown");
    const mapped = await scalar(connection, "SELECT count(*) FROM judged WHERE NOT unknown");
    const truePositives = await scalar(
      connection,
      "SELECT count(*) FROM judged WHERE NOT unknown AND coalesce(correct, false)",
    );
    const falsePositives = mapped - truePositives;
    const falseNegatives = inTarget - truePositives;
    const precision = ratio(truePositives, mapped);
    const recall = ratio(truePositives, inTarget);
    const perRuleRows = (
      await connection.runAndReadAll(
        `SELECT match_rule, count(*), count(*) FILTER (WHERE coalesce(correct, false)) FROM judged
         WHERE NOT unknown GROUP BY match_rule ORDER BY count(*) DESC`,
      )
    ).getRowsJS();
    const evaluation: Evaluation = {
      precision,
      recall,
      f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
      matchRate: ratio(mapped, sourceRecords),
      sourceRecords,
      sourceRecordsInTarget: inTarget,
      mappedSourceRecords: mapped,
      truePositives,
      falsePositives,
      falseNegatives,
      unknownSourceRecords: unknown,
      perRule: perRuleRows.map((row) => ({
        ruleName: String(row[0]),
        mapped: Number(row[1]),
        precision: ratio(Number(row[2]), Number(row[1])),
      })),
    };
    if (options.rules) {
      const withKeys = await scalar(connection, "SELECT count(*) FROM truth WHERE clean_keys IS NOT NULL");
      if (withKeys > 0) evaluation.recallBound = await recallBound(connection, options.rules, inTarget);
    }
    return evaluation;
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

async function recallBound(
  connection: Awaited<ReturnType<DuckDBInstance["connect"]>>,
  rules: Rule[],
  inTarget: number,
): Promise<number> {
  const reader = await connection.runAndReadAll(
    "SELECT clean_keys, count(*) FROM truth WHERE target_id IS NOT NULL GROUP BY clean_keys",
  );
  let reachable = 0;
  for (const [keys, count] of reader.getRowsJS()) {
    const clean = new Set(String(keys ?? "").split("|"));
    if (rules.some((rule) => rule.matchingKeys.every((k) => clean.has(k)))) reachable += Number(count);
  }
  return ratio(reachable, inTarget);
}

async function hasColumn(
  connection: Awaited<ReturnType<DuckDBInstance["connect"]>>,
  file: string,
  column: string,
): Promise<boolean> {
  const reader = await connection.runAndReadAll(
    "DESCRIBE SELECT * FROM read_csv($f, header = true, all_varchar = true)",
    {
      f: file,
    },
  );
  const names = reader.getRowsJS().map((row) => String(row[0]));
  for (const required of ["source_id", "target_id"]) {
    if (!names.includes(required))
      throw new Error(`${file}: truth needs a '${required}' column (has ${names.join(", ")})`);
  }
  return names.includes(column);
}

async function scalar(
  connection: Awaited<ReturnType<DuckDBInstance["connect"]>>,
  sql: string,
): Promise<number> {
  return Number((await connection.runAndReadAll(sql)).getRowsJS()[0]![0]);
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}
