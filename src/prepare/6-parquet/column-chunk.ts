import { native } from "../native-addon.ts";
import { DictionaryColumn } from "./dictionary-column.ts";
import { writeSha256HexValues } from "./sha256-hex-batch.ts";
import type { StringColumn } from "./string-column.ts";
import { CompactWriter } from "./thrift-compact.ts";

// Parquet enums (parquet.thrift).
const DATA_PAGE = 0;
const DICTIONARY_PAGE = 2;
const PLAIN = 0;
const RLE = 3;
const RLE_DICTIONARY = 8;

/** One encoded column chunk of a row group (a single data page), offsets relative to the row group buffer. */
export interface EncodedColumn {
  offset: number;
  length: number;
  numValues: number;
  nullCount: number;
  /** Bytes of the dictionary page at `offset` when the column is dictionary-encoded; its data page follows. */
  dictionaryLength?: number;
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

/** A column as the transformer builds it: plain values, or a dictionary plus indices. */
export type OutputColumn = StringColumn | DictionaryColumn;

/**
 * Encodes columns into a single buffer, each as one uncompressed data page — SHA-256 hex does not
 * compress with snappy, so compression would cost time for nothing. A DictionaryColumn becomes a PLAIN
 * dictionary page (each distinct value hashed once) and an RLE_DICTIONARY data page of indices, as
 * parquet-mr and Arrow write them; other columns are PLAIN.
 */
export function encodeRowGroup(
  given: OutputColumn[],
  encodings: ColumnEncoding[],
  spare: ArrayBufferLike[] = [],
): EncodedRowGroup {
  const columns = given.map((c) => (c instanceof DictionaryColumn && c.full ? c.plain() : c));
  const rows = columns[0]?.count ?? 0;
  let capacity = 0;
  for (const [index, column] of columns.entries()) {
    const sha256 = encodings[index]?.sha256 ?? false;
    const levels = HEADER_ROOM + 4 + (column.count >> 3) + 16;
    if (column instanceof DictionaryColumn) {
      const entries = column.dictionary;
      const values = sha256 ? 68 * entries.count : 4 * entries.count + entries.byteLength;
      capacity += HEADER_ROOM + values + levels + 1 + 16 + 2 * column.count;
    } else {
      const present = column.count - column.nulls;
      capacity += levels + (sha256 ? 68 * present : 4 * present + column.byteLength);
    }
  }
  const out = outputBuffer(capacity, spare);
  const encoded: EncodedColumn[] = [];
  let at = 0;
  for (const [index, column] of columns.entries()) {
    const encoding = encodings[index] ?? { required: false, sha256: false };
    if (encoding.required && column.nulls > 0) throw new Error("a required Parquet column got a null value");
    const writeValuesOf = encoding.sha256 ? writeSha256HexValues : writeValues;
    const start = at;
    let dictionaryLength: number | undefined;
    if (column instanceof DictionaryColumn) {
      const entries = column.dictionary;
      at = writePage(out, at, dictionaryPageHeader(entries.count), (body) =>
        writeValuesOf(entries, out, body),
      );
      dictionaryLength = at - start;
      at = writePage(out, at, dataPageHeader(RLE_DICTIONARY, column.count), (body) => {
        const end = encoding.required ? body : writeDefinitionLevels(column, out, body);
        return writeIndices(column, out, end);
      });
    } else {
      at = writePage(out, at, dataPageHeader(PLAIN, column.count), (body) => {
        const end = encoding.required ? body : writeDefinitionLevels(column, out, body);
        return writeValuesOf(column, out, end);
      });
    }
    encoded.push({
      offset: start,
      length: at - start,
      numValues: column.count,
      nullCount: column.nulls,
      ...(dictionaryLength === undefined ? {} : { dictionaryLength }),
    });
  }
  return { buffer: out.subarray(0, at), rows, columns: encoded };
}

// Body first, after room for the page header (whose sizes depend on the body); then the header is
// written right before it and the page moved down to `at`. Returns the offset after the page.
function writePage(
  out: Buffer,
  at: number,
  header: (bodyLength: number) => Buffer,
  writeBody: (bodyStart: number) => number,
): number {
  const bodyStart = at + HEADER_ROOM;
  const end = writeBody(bodyStart);
  const bytes = header(end - bodyStart);
  const start = bodyStart - bytes.length;
  bytes.copy(out, start);
  if (start > at) {
    if (native) native.copyWithin(out, at, start, end);
    else out.copyWithin(at, start, end);
  }
  return at + (end - start);
}

// Dictionary indices of the present values: a bit width byte, then the RLE/bit-packed hybrid — one RLE
// run when every index is the same (a country column), else one bit-packed run.
function writeIndices(column: DictionaryColumn, out: Buffer, at: number): number {
  const { indices, present, count } = column;
  const width = Math.max(1, 32 - Math.clz32(column.dictionary.count - 1));
  let position = at;
  out[position++] = width;
  const values = count - column.nulls;
  if (values === 0) return position;
  let first = -1;
  let same = true;
  for (let i = 0; i < count && same; i++) {
    if (present[i] === 0) continue;
    if (first === -1) first = indices[i]!;
    else same = indices[i] === first;
  }
  if (same) {
    position = writeUleb(values << 1, out, position);
    for (let b = 0; b < (width + 7) >> 3; b++) out[position++] = (first >>> (8 * b)) & 0xff;
    return position;
  }
  const groups = Math.ceil(values / 8);
  position = writeUleb((groups << 1) | 1, out, position);
  const end = position + groups * width;
  let buffered = 0;
  let bits = 0;
  for (let i = 0; i < count; i++) {
    if (present[i] === 0) continue;
    buffered |= indices[i]! << bits;
    bits += width;
    while (bits >= 8) {
      out[position++] = buffered & 0xff;
      buffered >>>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) out[position++] = buffered & 0xff;
  out.fill(0, position, end); // the padding of the last group of 8
  return end;
}

// A recycled buffer when one is big enough (fresh multi-MB buffers cost page faults and munmap),
// else a new one with headroom, outside Node's shared pool so that it can be transferred between threads.
function outputBuffer(capacity: number, spare: ArrayBufferLike[]): Buffer {
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

function dataPageHeader(encoding: number, numValues: number): (bodyLength: number) => Buffer {
  return (bodyLength) =>
    new CompactWriter()
      .struct((w) =>
        w
          .fieldI32(1, DATA_PAGE)
          .fieldI32(2, bodyLength)
          .fieldI32(3, bodyLength)
          .fieldStruct(5, (d) =>
            d.fieldI32(1, numValues).fieldI32(2, encoding).fieldI32(3, RLE).fieldI32(4, RLE),
          ),
      )
      .toBuffer();
}

function dictionaryPageHeader(entries: number): (bodyLength: number) => Buffer {
  return (bodyLength) =>
    new CompactWriter()
      .struct((w) =>
        w
          .fieldI32(1, DICTIONARY_PAGE)
          .fieldI32(2, bodyLength)
          .fieldI32(3, bodyLength)
          .fieldStruct(7, (d) => d.fieldI32(1, entries).fieldI32(2, PLAIN)),
      )
      .toBuffer();
}

// Definition levels, RLE/bit-packed hybrid at bit width 1 behind a u32 length: one RLE run when all
// values agree, else bit-packed groups of 8.
function writeDefinitionLevels(column: OutputColumn, out: Buffer, at: number): number {
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
