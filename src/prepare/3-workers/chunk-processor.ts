import { isUtf8 } from "node:buffer";
import { parseCsv, UnterminatedQuoteError } from "../2-chunks/parse.ts";
import { scanCsvFast } from "../2-chunks/scan.ts";
import { RowTransformer } from "../4-rows/row-transformer.ts";
import { columnEncodings, RaggedRowError } from "../4-rows/string-path.ts";
import { encodeRowGroup } from "../6-parquet/column-chunk.ts";
import type { ChunkOutcome, CsvChunkJob, TransformPlan } from "../types.ts";

/** Parse, normalize, hash and encode one chunk of CSV records into a Parquet row group. */
export function processCsvChunk(
  plan: TransformPlan,
  job: CsvChunkJob,
  spare?: ArrayBufferLike[],
): ChunkOutcome {
  // isUtf8 is SIMD-fast in Node; TextDecoder's fatal mode is several times slower.
  const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  if (!isUtf8(bytes)) {
    return {
      ok: false,
      failure: {
        type: "invalid-utf-8",
        row: recordsBefore(job.bytes, firstInvalidByte(job.bytes)),
      },
    };
  }
  const transformer = new RowTransformer(plan);
  let records: number;
  let textBase = 0; // the text parser numbers records from where it takes over
  try {
    const scanned = scanCsvFast(
      bytes,
      job.delimiter.charCodeAt(0),
      plan.fieldCount + 1,
      (fields, row) => transformer.pushRecord(bytes, fields, row),
      true,
      (fields, records) => {
        transformer.beginBatch(bytes, fields, records);
        return transformer.pushBatch(bytes, fields, records);
      },
    );
    records = scanned.records;
    if (scanned.stop < bytes.length) {
      // A record the byte scanner leaves to the text parser: it takes the rest of the chunk.
      const rest = bytes.toString("utf8", scanned.stop);
      textBase = records;
      records += parseCsv(rest, job.delimiter, (fields, record) =>
        transformer.push(fields, textBase + record),
      );
    }
  } catch (error) {
    if (error instanceof RaggedRowError) {
      return {
        ok: false,
        failure: { type: "ragged", row: error.row, expected: error.expected, actual: error.actual },
      };
    }
    if (error instanceof UnterminatedQuoteError) {
      return { ok: false, failure: { type: "unterminated-quote", row: textBase + error.row } };
    }
    throw error;
  }
  transformer.finish();
  const group = encodeRowGroup(transformer.columns, columnEncodings(plan), spare);
  transformer.release();
  return { ok: true, group, stats: transformer.stats, records };
}

// Largest prefix that decodes (streaming mode tolerates a sequence cut at the end) = offset of the bad byte.
function firstInvalidByte(bytes: Uint8Array): number {
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const mid = (good + bad) >>> 1;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      good = mid;
    } catch {
      bad = mid;
    }
  }
  return good;
}

function recordsBefore(bytes: Uint8Array, offset: number): number {
  let records = 0;
  let quoted = false;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 34) quoted = !quoted;
    else if (bytes[i] === 10 && !quoted) records++;
  }
  return records;
}
