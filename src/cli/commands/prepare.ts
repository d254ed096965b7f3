import type { Command } from "commander";
import { CliError } from "../cli-error.ts";

interface PrepareFlags {
  out: string;
  country?: string;
  map: string[];
  idColumn?: string;
  hash: boolean;
  tableName?: string;
  glueDatabase?: string;
  s3Prefix?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function register(program: Command): void {
  program
    .command("prepare")
    .description(
      "Turn a CRM export (CSV or Parquet) into AMC-ready identity tables: normalized by Amazon Ads rules, " +
        "SHA-256 hashed, ≤25 columns and one row per id, with ER schema mappings, Glue table inputs and a report.",
    )
    .argument("<input>", "CSV (any delimiter, UTF-8) or Parquet file")
    .requiredOption("-o, --out <dir>", "output directory")
    .option("--country <code>", "ISO country for rows without a country column", "US")
    .option(
      "--map <column=TYPE>",
      "set a column's role (EMAIL_ADDRESS, PHONE, …, MAID, LRP, EXP, MKL, UNIQUE_ID, IGNORE); repeatable",
      collect,
      [],
    )
    .option("--id-column <column>", "the unique id column")
    .option("--no-hash", "write normalized values without SHA-256 (ER accepts raw input too)")
    .option("--table-name <name>", "base name of the output table(s) (default: input file name)")
    .option("--glue-database <name>", "Glue database named in the CreateTable inputs", "idbridge")
    .option("--s3-prefix <uri>", "S3 prefix for the tables' Locations", "s3://idbridge-identity")
    .option("--json", "print the result as JSON on stdout")
    .addHelpText(
      "after",
      "\nExamples:\n  idbridge prepare customers.csv --out prepared/\n" +
        "  idbridge prepare dataset4a.csv --out febrl/ --country AU --id-column rec_id --map date_of_birth=IGNORE",
    )
    .action(async (input: string, flags: PrepareFlags) => {
      // The bundled module when it can be had: ~290 modules through tsx cost about a second of start-up.
      const { loadPrepare } = await import("../../prepare/bundles.ts");
      const { prepare, PrepareError } = await loadPrepare();
      const map = parseMap(flags.map);
      const progress = !flags.json && process.stderr.isTTY ? createProgress() : undefined;
      try {
        const result = await prepare({
          input,
          outDir: flags.out,
          country: flags.country,
          map,
          idColumn: flags.idColumn,
          hash: flags.hash,
          tableName: flags.tableName,
          glueDatabase: flags.glueDatabase,
          s3Prefix: flags.s3Prefix,
          onProgress: progress?.update,
        });
        progress?.done();
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        const r = result.report;
        const lines = [
          `prepared ${r.rowsIn.toLocaleString("en-US")} rows → ${r.rowsOut.toLocaleString("en-US")} ids in ${r.seconds.toFixed(1)} s (${r.rowsPerSecond.toLocaleString("en-US")} rows/s)`,
          ...result.tables.map(
            (t) => `  ${t.parquetPath}  (${t.rows} rows, ${t.columns.length + 1} columns)`,
          ),
          `  report: ${result.reportHtmlPath}`,
          ...r.warnings.map((w) => `  warning: ${w}`),
        ];
        process.stdout.write(`${lines.join("\n")}\n`);
      } catch (error) {
        progress?.done();
        if (error instanceof PrepareError) throw new CliError(error.message, error.hint);
        throw error;
      }
    });
}

function parseMap(entries: string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.lastIndexOf("=");
    if (at <= 0 || at === entry.length - 1) {
      throw new CliError(
        `--map ${entry}: expected <column>=<TYPE>`,
        "for example --map e_mail=EMAIL_ADDRESS",
      );
    }
    map[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return map;
}

// One status line on stderr, redrawn at most 10 times a second: rows, rows/s and an ETA from bytes read.
function createProgress() {
  const started = performance.now();
  let last = 0;
  return {
    update(p: { rows: number; bytes: number; totalBytes?: number }) {
      const now = performance.now();
      if (now - last < 100) return;
      last = now;
      const seconds = (now - started) / 1000;
      const rate = p.rows / Math.max(seconds, 1e-3);
      const fraction = p.totalBytes ? p.bytes / p.totalBytes : 0;
      const eta = fraction > 0 ? (seconds / fraction) * (1 - fraction) : undefined;
      const etaText = eta === undefined ? "" : `, ETA ${eta.toFixed(0)} s`;
      process.stderr.write(
        `\r${p.rows.toLocaleString("en-US")} rows, ${Math.round(rate).toLocaleString("en-US")} rows/s, ${(fraction * 100).toFixed(0)}%${etaText}   `,
      );
    },
    done() {
      if (last > 0) process.stderr.write("\r\x1b[K");
    },
  };
}
