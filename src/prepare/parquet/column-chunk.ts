import { writeSha256HexValues } from "../hash/sha256-hex-batch.ts";
import type { StringColumn } from "./string-column.ts";
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
  /** Values are written as their SHA-256 hex (64-char lowercase hex values pass through). */
  sha256: boolean;
}

const HEADER_ROOM = 64;

/**
 * Encodes columns as one PLAIN, uncompressed data page each, into a single buffer — SHA-256 hex does not
 * compress with snappy, so compression would cost time for nothing.
 */
export function encodeRowGroup(
  columns: StringColumn[],
  encodings: ColumnEncoding[],
  spare: ArrayBuffer[] = [],
): EncodedRowGroup {
  const rows = columns[0]?.count ?? 0;
  let capacity = 0;
  for (const [index, column] of columns.entries()) {
    const present = column.count - column.nulls;
    const values = encodings[index]?.sha256 ? 68 * present : 4 * present + column.byteLength;
    capacity += HEADER_ROOM + 4 + (column.count >> 3) + 16 + values;
  }
  const out = outputBuffer(capacity, spare);
  const encoded: EncodedColumn[] = [];
  let at = 0;
  for (const [index, column] of columns.entries()) {
    const encoding = encodings[index] ?? { required: false, sha256: false };
    if (encoding.required && column.nulls > 0) throw new Error("a required Parquet column got a null value");
    // Body first, after room for the page header; then the header is written right before it.
    const bodyStart = at + HEADER_ROOM;
    let end = encoding.required ? bodyStart : writeDefinitionLevels(column, out, bodyStart);
    end = encoding.sha256 ? writeSha256HexValues(column, out, end) : writeValues(column, out, end);
    const header = pageHeader(column.count, end - bodyStart);
    const start = bodyStart - header.length;
    header.copy(out, start);
    if (start > at) out.copyWithin(at, start, end);
    const length = end - start;
    encoded.push({ offset: at, length, numValues: column.count, nullCount: column.nulls });
    at += length;
  }
  return { buffer: out.subarray(0, at), rows, columns: encoded };
}

// A recycled buffer when one is big enough (fresh multi-MB buffers cost page faults and munmap),
// else a new one with headroom, outside Node's shared pool so that it can be transferred between threads.
function outputBuffer(capacity: number, spare: ArrayBuffer[]): Buffer {
  const fits = spare.findIndex((buffer) => buffer.byteLength >= capacity);
  if (fits !== -1) return Buffer.from(spare.splice(fits, 1)[0]!);
  return Buffer.allocUnsafeSlow(Math.ceil((capacity * 1.25) / 65536) * 65536);
}

function writeValues(column: StringColumn, out: Buffer, at: number): number {
  const { bytes, ends, present, count } = column;
  let position = at;
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = ends[i]!;
    if (present[i] === 1) {
      const length = end - start;
      out.writeUInt32LE(length, position);
      position += 4;
      if (length < 48) for (let b = start; b < end; b++) out[position++] = bytes[b]!;
      else position += bytes.copy(out, position, start, end);
    }
    start = end;
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

// Definition levels, RLE/bit-packed hybrid at bit width 1 behind a u32 length: one RLE run when all
// values agree, else bit-packed groups of 8.
function writeDefinitionLevels(column: StringColumn, out: Buffer, at: number): number {
  const n = column.count;
  let position = at + 4;
  if (column.nulls === 0 || column.nulls === n) {
    position = writeUleb(n << 1, out, position);
    out[position++] = column.nulls === 0 ? 1 : 0;
  } else {
    const groups = Math.ceil(n / 8);
    position = writeUleb((groups << 1) | 1, out, position);
    out.fill(0, position, position + groups);
    const present = column.present;
    for (let i = 0; i < n; i++) if (present[i] === 1) out[position + (i >> 3)]! |= 1 << (i & 7);
    position += groups;
  }
  out.writeUInt32LE(position - at - 4, at);
  return position;
}

function writeUleb(value: number, out: Buffer, at: number): number {
  let v = value;
  let position = at;
  while (v >= 0x80) {
    out[position++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  out[position++] = v;
  return position;
}
