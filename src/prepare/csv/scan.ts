const QUOTE = 34;
const LF = 10;
const CR = 13;

/** The field holds a byte ≥ 0x80 (decode it as UTF-8, not Latin-1). */
export const FIELD_NON_ASCII = 1;
/** The field was quoted and holds doubled quotes ("") to undo. */
export const FIELD_ESCAPED = 2;

/** Byte ranges of one record's fields, reused from record to record. */
export class FieldOffsets {
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly flags: Uint8Array;
  /** Fields in the record (may exceed the capacity: only the first `capacity` are stored). */
  count = 0;
  /** The record had a quoted field (a quoted empty line is a record, an empty line is not). */
  quoted = false;

  constructor(readonly capacity: number) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.flags = new Uint8Array(capacity);
  }
}

export interface ScanResult {
  /** Records scanned, blank lines included (they are numbered but not emitted). */
  records: number;
  /** Where scanning stopped: bytes.length, or the start of the first record it leaves to the text parser. */
  stop: number;
}

/**
 * RFC 4180 records straight from UTF-8 bytes, without decoding the chunk: each record's field byte ranges
 * go to `emit`. It handles what real exports hold (quoted fields with delimiters, newlines and "" escapes,
 * CRLF). A record it does not handle the text parser's way for sure — text after a closing quote, a quote
 * that never closes — ends the scan at that record's start: the caller parses the rest as text (parse.ts),
 * so both paths agree on every record. Numbering matches parseCsv: blank lines count, quoted newlines don't.
 */
export function scanCsv(
  bytes: Uint8Array,
  delimiter: number,
  fields: FieldOffsets,
  emit: (row: number) => void,
): ScanResult {
  const n = bytes.length;
  const { starts, ends, flags, capacity } = fields;
  let i = 0;
  let row = 0;
  while (i < n) {
    const recordStart = i;
    let f = 0;
    let quoted = false;
    for (;;) {
      let c = bytes[i]!;
      let start: number;
      let end: number;
      let high = 0;
      let flag = 0;
      if (c === QUOTE) {
        quoted = true;
        start = ++i;
        for (;;) {
          if (i >= n) return { records: row, stop: recordStart };
          c = bytes[i]!;
          if (c === QUOTE) {
            if (bytes[i + 1] !== QUOTE) break;
            flag = FIELD_ESCAPED;
            i += 2;
            continue;
          }
          high |= c;
          i++;
        }
        end = i++;
        if (i >= n) c = LF;
        else {
          c = bytes[i]!;
          if (c === CR && (i + 1 >= n || bytes[i + 1] === LF)) {
            i++;
            c = LF;
          }
          if (c !== delimiter && c !== LF) return { records: row, stop: recordStart };
        }
      } else {
        start = i;
        while (i < n && c !== delimiter && c !== LF) {
          high |= c;
          c = bytes[++i]!;
        }
        end = i;
        if (i >= n) c = LF;
        if (c === LF && end > start && bytes[end - 1] === CR) end--;
      }
      if (f < capacity) {
        starts[f] = start;
        ends[f] = end;
        flags[f] = high & 0x80 ? flag | FIELD_NON_ASCII : flag;
      }
      f++;
      i++;
      if (c === LF) break;
    }
    fields.count = f;
    fields.quoted = quoted;
    // An empty line (or a lone CR) is no record; it still has a row number.
    if (f > 1 || quoted || ends[0]! > starts[0]!) emit(row);
    row++;
  }
  return { records: row, stop: n };
}
