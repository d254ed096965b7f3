import { CompactWriter } from "./thrift-compact.ts";

// Parquet enums (parquet.thrift).
const DATA_PAGE = 0;
const PLAIN = 0;
const RLE = 3;

/** One encoded column chunk of a row group (a single data page), offsets relative to the row group buffer. */
export interface EncodedColumn {
  offset: number;
  length: number;
  numValues: number;
  nullCount: number;
}

export interface EncodedRowGroup {
  buffer: Buffer;
  rows: number;
  columns: EncodedColumn[];
}

/**
 * Encodes string columns (null = missing) as one PLAIN, uncompressed data page each — SHA-256 hex does
 * not compress with snappy, so compression would cost time for nothing. `required[i]` columns have no nulls
 * and no definition levels.
 */
export function encodeRowGroup(columns: Array<Array<string | null>>, required: boolean[]): EncodedRowGroup {
  const rows = columns[0]?.length ?? 0;
  const parts: Buffer[] = [];
  const encoded: EncodedColumn[] = [];
  let offset = 0;
  columns.forEach((values, index) => {
    const page = encodePage(values, required[index] === true);
    encoded.push({ offset, length: page.data.length, numValues: values.length, nullCount: page.nullCount });
    parts.push(page.data);
    offset += page.data.length;
  });
  return { buffer: Buffer.concat(parts, offset), rows, columns: encoded };
}

function encodePage(values: Array<string | null>, required: boolean): { data: Buffer; nullCount: number } {
  let valueBytes = 0;
  let nullCount = 0;
  for (const value of values) {
    if (value === null) nullCount++;
    else valueBytes += 4 + Buffer.byteLength(value, "utf8");
  }
  if (required && nullCount > 0) throw new Error("a required Parquet column got a null value");
  const levels = required ? null : definitionLevels(values, nullCount);
  const body = Buffer.allocUnsafe((levels ? 4 + levels.length : 0) + valueBytes);
  let at = 0;
  if (levels) {
    at = body.writeUInt32LE(levels.length, at);
    at += levels.copy(body, at);
  }
  for (const value of values) {
    if (value === null) continue;
    const written = body.write(value, at + 4, "utf8");
    body.writeUInt32LE(written, at);
    at += 4 + written;
  }
  const header = new CompactWriter()
    .struct((w) =>
      w
        .fieldI32(1, DATA_PAGE)
        .fieldI32(2, body.length)
        .fieldI32(3, body.length)
        .fieldStruct(5, (d) =>
          d.fieldI32(1, values.length).fieldI32(2, PLAIN).fieldI32(3, RLE).fieldI32(4, RLE),
        ),
    )
    .toBuffer();
  return { data: Buffer.concat([header, body]), nullCount };
}

// RLE/bit-packed hybrid at bit width 1: one RLE run when all values agree, else bit-packed groups of 8.
function definitionLevels(values: Array<string | null>, nullCount: number): Buffer {
  const n = values.length;
  if (nullCount === 0 || nullCount === n) {
    return Buffer.concat([uleb(n << 1), Buffer.from([nullCount === 0 ? 1 : 0])]);
  }
  const groups = Math.ceil(n / 8);
  const packed = Buffer.alloc(groups);
  for (let i = 0; i < n; i++) if (values[i] !== null) packed[i >> 3]! |= 1 << (i & 7);
  return Buffer.concat([uleb((groups << 1) | 1), packed]);
}

function uleb(value: number): Buffer {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}
