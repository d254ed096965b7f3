import { type FileHandle, mkdir, open, readdir, rename, rm, rmdir, stat, writeFile } from "node:fs/promises";
import { basename, extname, join, resolve } from "node:path";
import { countryCode } from "../normalize/index.ts";
import { streamCsv } from "./1-source/csv-source.ts";
import { encodingProblem, readHead } from "./1-source/dialect.ts";
import { parquetHeader, streamParquet } from "./1-source/parquet-source.ts";
import { columnName, planColumns } from "./1-source/roles.ts";
import { emptyStats } from "./4-rows/stats.ts";
import { ParquetFileWriter } from "./6-parquet/parquet-file-writer.ts";
import { glueCreateTableInput, schemaMappingRequest } from "./7-output/artifacts.ts";
import { buildReport } from "./7-output/report.ts";
import { renderReportHtml } from "./7-output/report-html.ts";
import { refuseTooWide, shapeTables } from "./7-output/tables.ts";
import { PrepareError } from "./errors.ts";
import { fileSystemError } from "./file-system-errors.ts";
import { makeStaging } from "./staging.ts";
import type { InputShape, PreparedTable, PrepareOptions, PrepareResult, TransformPlan } from "./types.ts";

const HEAD_BYTES = 1024 * 1024;

/**
 * Turns a CRM export into AMC-ready identity tables in `outDir`: Parquet per table, the ER
 * CreateSchemaMapping request and the Glue CreateTable input per table, report.json and report.html.
 * Everything is written in a staging folder inside `outDir` and moved in only when all of it succeeded.
 */
export async function prepare(options: PrepareOptions): Promise<PrepareResult> {
  const started = performance.now();
  const input = resolve(options.input);
  const fileName = options.input;
  const country = defaultCountry(options.country);
  const hash = options.hash ?? true;
  const tableName = tableNameFor(options.tableName, input);

  const outDir = resolve(options.outDir);
  let createdOutDir = false;
  let staging: string | undefined;
  let file: FileHandle | undefined;
  try {
    const size = await inputSize(input, fileName);
    file = await open(input, "r");
    const shape = await readShape(file, input, fileName, size);
    const plan = planColumns(shape.header, options, fileName);
    // The header alone decides a too-wide file: refused before any folder is made or row is read.
    refuseTooWide(plan.identity.length, fileName);
    createdOutDir = await makeOutDir(outDir, options.outDir);
    staging = await makeStaging(outDir);
    const transformPlan: TransformPlan = {
      idIndex: plan.idIndex,
      countryIndex: plan.countryIndex,
      identity: plan.identity.map((c) => ({ kind: c.kind, sources: c.sources })),
      fieldCount: shape.header.length,
      hash,
      country,
      dictionary: options.dictionary ?? true,
    };
    const rowsPath = join(staging, "rows.parquet");
    const writer = await ParquetFileWriter.create(
      rowsPath,
      [plan.idName, ...plan.identity.map((c) => c.name)],
      [true, ...plan.identity.map(() => false)],
    );
    const stats = emptyStats(plan.identity.length);
    let bytesDone = 0;
    const target = {
      writer,
      stats,
      onChunk: (bytes: number) => {
        bytesDone += bytes;
        options.onProgress?.({ rows: stats.rowsIn, bytes: bytesDone, totalBytes: size });
      },
    };
    try {
      if (shape.format === "csv") {
        await streamCsv(
          file,
          fileName,
          size,
          shape.dataStart,
          shape.delimiter!,
          transformPlan,
          target,
          options.workers,
          options.chunkBytes,
        );
      } else {
        await streamParquet(
          input,
          fileName,
          transformPlan,
          target,
          staging,
          options.workers,
          options.chunkBytes,
        );
      }
    } catch (error) {
      await writer.abort();
      throw error;
    }
    await writer.close();
    await file.close();
    file = undefined;
    if (writer.rows === 0) {
      throw new PrepareError(
        `${fileName}: no row has both an id and a usable identity value (${stats.rowsIn} rows read)`,
        "check the detected roles with --map and --id-column; see which columns were recognised in the error above",
      );
    }

    const streamed = performance.now();
    const shaped = await shapeTables({
      rowsPath,
      rowsWritten: writer.rows,
      stagingDir: staging,
      tableName,
      fileName,
      idName: plan.idName,
      identity: plan.identity.map((c) => ({ name: c.name, kind: c.kind })),
      hash,
      idsAscending: stats.idsAscending,
    });

    const phases = { stream: (streamed - started) / 1000, shape: (performance.now() - streamed) / 1000 };
    const tables: PreparedTable[] = [];
    for (const table of shaped.tables) {
      const schemaMappingPath = join(outDir, `${table.name}.schema-mapping.json`);
      const glueTableInputPath = join(outDir, `${table.name}.glue-table.json`);
      const mapping = schemaMappingRequest(table.name, plan.idName, table.columns);
      const glue = glueCreateTableInput(
        table.name,
        [plan.idName, ...table.columns.map((c) => c.name)],
        options.glueDatabase ?? "idbridge",
        options.s3Prefix ?? "s3://idbridge-identity",
      );
      await writeFile(join(staging, basename(schemaMappingPath)), `${JSON.stringify(mapping, null, 2)}\n`);
      await writeFile(join(staging, basename(glueTableInputPath)), `${JSON.stringify(glue, null, 2)}\n`);
      tables.push({
        name: table.name,
        parquetPath: join(outDir, basename(table.file)),
        schemaMappingPath,
        glueTableInputPath,
        columns: table.columns,
        rows: table.rows,
      });
    }

    const seconds = (performance.now() - started) / 1000;
    const report = buildReport({
      input,
      shape,
      size,
      country,
      hash,
      tableName,
      plan,
      stats,
      shaped,
      tables,
      seconds,
      phases,
    });
    const reportPath = join(outDir, "report.json");
    const reportHtmlPath = join(outDir, "report.html");
    await writeFile(join(staging, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(join(staging, "report.html"), renderReportHtml(report));

    // Every file is complete: move them in (rename within one directory is atomic per file).
    const finals = [
      ...tables.flatMap((t) => [t.parquetPath, t.schemaMappingPath, t.glueTableInputPath]),
      reportPath,
      reportHtmlPath,
    ];
    for (const path of finals) await rename(join(staging, basename(path)), path);
    return { tables, reportPath, reportHtmlPath, report };
  } catch (error) {
    if (staging) await rm(staging, { recursive: true, force: true });
    if (createdOutDir) await removeIfEmpty(outDir);
    throw fileSystemError(error, { input: fileName, inputPath: input, outDir: options.outDir });
  } finally {
    await file?.close();
    if (staging) await rm(staging, { recursive: true, force: true });
  }
}

/** Creates the output directory; true when it did not exist before. */
async function makeOutDir(outDir: string, given: string): Promise<boolean> {
  try {
    return (await mkdir(outDir, { recursive: true })) !== undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || code === "ENOTDIR") {
      throw new PrepareError(
        `--out ${given}: exists and is not a directory`,
        "give a directory path (it is created if missing)",
      );
    }
    throw error;
  }
}

async function removeIfEmpty(dir: string): Promise<void> {
  const left = await readdir(dir).catch(() => ["?"]);
  if (left.length === 0) await rmdir(dir).catch(() => undefined);
}

function defaultCountry(raw: string | undefined): string {
  if (raw === undefined) return "US";
  const code = countryCode(raw);
  if (!code)
    throw new PrepareError(
      `--country ${raw}: not an ISO 3166 country`,
      "use a two-letter code such as US, CA, GB, DE, FR, ES, IT, IN, JP",
    );
  return code;
}

async function inputSize(path: string, fileName: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile())
      throw new PrepareError(`${fileName}: not a file`, "give the path of a CSV or Parquet file");
    return info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new PrepareError(
        `${fileName}: no such file`,
        "check the path (relative paths start from the current directory)",
      );
    }
    throw error;
  }
}

function tableNameFor(option: string | undefined, input: string): string {
  const name = columnName(option ?? basename(input, extname(input))).replace(/^c_/, option ? "c_" : "t_");
  if (!name || name.length > 200) {
    throw new PrepareError(
      `table name '${option ?? basename(input)}' cannot be a Glue table name`,
      "pass --table-name with letters, digits and _",
    );
  }
  return name;
}

async function readShape(
  file: FileHandle,
  path: string,
  fileName: string,
  size: number,
): Promise<InputShape> {
  const head = Buffer.alloc(Math.min(HEAD_BYTES, size));
  await file.read(head, 0, head.length, 0);
  if (head.subarray(0, 4).toString("latin1") === "PAR1" || extname(path).toLowerCase() === ".parquet") {
    return { format: "parquet", header: await parquetHeader(path, fileName), dataStart: 0 };
  }
  if (size === 0)
    throw new PrepareError(`${fileName}: the file is empty`, "export the data with a header row");
  const problem = encodingProblem(head);
  if (problem) {
    throw new PrepareError(
      `${fileName}: the file is ${problem === "binary" ? "not text (it holds NUL bytes)" : `encoded as ${problem.toUpperCase()}`}, not UTF-8`,
      problem === "binary"
        ? "export it as CSV (UTF-8) or Parquet"
        : `re-encode it: iconv -f ${problem.toUpperCase()} -t UTF-8 in.csv > out.csv`,
    );
  }
  const csvHead = readHead(head, head.length === size);
  if (!csvHead) {
    throw new PrepareError(
      `${fileName}: no header row ends within the first 1 MB`,
      "the first line must be the header (column names)",
    );
  }
  if (
    new TextDecoder("utf-8", { fatal: false }).decode(head.subarray(0, csvHead.dataStart)).includes("\uFFFD")
  ) {
    throw new PrepareError(
      `${fileName}: row 1 (the header) is not valid UTF-8`,
      "re-export the file as UTF-8",
    );
  }
  return {
    format: "csv",
    header: csvHead.header,
    delimiter: csvHead.delimiter,
    bom: csvHead.bom,
    dataStart: csvHead.dataStart,
  };
}
