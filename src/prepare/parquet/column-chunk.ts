import { writeSha256HexValues } from "../hash/sha256-hex-batch.ts";
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

export interface ColumnEncoding {
  /** No nulls, no definition levels. */
  required: boolean;
  /** Values are written as their SHA-256 hex (64-char hex values pass through). */
  sha256: boolean;
}

/**
 * Encodes string columns (null = missing) as one PLAIN, uncompressed data page each — SHA-256 hex does
 * not compress with snappy, so compression would cost time for nothing.
 */
export function encodeRowGroup(
  columns: Array<Array<string | null>>,
  encodings: ColumnEncoding[],
): EncodedRowGroup {
  const rows = columns[0]?.length ?? 0;
  const parts: Buffer[] = [];
  const encoded: EncodedColumn[] = [];
  let offset = 0;
  columns.forEach((values, index) => {
    const page = encodePage(values, encodings[index] ?? { required: false, sha256: false });
    encoded.push({ offset, length: page.data.length, numValues: values.length, nullCount: page.nullCount });
    parts.push(page.data);
    offset += page.data.length;
  });
  return { buffer: Buffer.concat(parts, offset), rows, columns: encoded };
}

function encodePage(
  values: Array<string | null>,
  encoding: ColumnEncoding,
): { data: Buffer; nullCount: number } {
  const present: string[] = [];
  let chars = 0;
  for (const value of values) {
    if (value === null) continue;
    present.push(value);
    chars += value.length;
  }
  const nullCount = values.length - present.length;
  if (encoding.required && nullCount > 0) throw new Error("a required Parquet column got a null value");
  const levels = encoding.required ? null : definitionLevels(values, nullCount);
  const levelBytes = levels ? 4 + levels.length : 0;
  const headerRoom = 64;
  const capacity = encoding.sha256 ? 68 * present.length : 4 * present.length + 3 * chars;
  const page = Buffer.allocUnsafe(headerRoom + levelBytes + capacity);
  let at = headerRoom;
  if (levels) {
    at = page.writeUInt32LE(levels.length, at);
    at += levels.copy(page, at);
  }
  at = encoding.sha256 ? writeSha256HexValues(present, page, at) : writeStrings(present, page, at);
  const bodyLength = at - headerRoom;
  const header = pageHeader(values.length, bodyLength);
  // The header goes right before the body, in the room left for it.
  const start = headerRoom - header.length;
  header.copy(page, start);
  return { data: page.subarray(start, at), nullCount };
}

function writeStrings(values: string[], out: Buffer, at: number): number {
  let position = at;
  for (const value of values) {
    const length = value.length;
    let ascii = true;
    for (let i = 0; i < length; i++) {
      const code = value.charCodeAt(i);
      if (code > 127) {
        ascii = false;
        break;
      }
      out[position + 4 + i] = code;
    }
    const written = ascii ? length : out.write(value, position + 4, "utf8");
    out.writeUInt32LE(written, position);
    position += 4 + written;
  }
  return position;
}

function pageHeader(numValues: number, bodyLength: number): Buffer {
  return new CompactWriter()
    .struct((w) =>
      w
        .fieldI32(1, DATA_PAGE)
        .fieldI32(2, bodyLength)
        .fieldI32(3, bodyLength)
        .fieldStruct(5, (d) => d.fieldI32(1, numValues).fieldI32(2, PLAIN).fieldI32(3, RLE).fieldI32(4, RLE)),
    )
    .toBuffer();
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
