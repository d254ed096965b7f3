import { native } from "../native-addon.ts";

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** The field holds a byte ≥ 0x80 (decode it as UTF-8, not Latin-1). */
export const FIELD_NON_ASCII = 1;
/** The field was quoted and holds doubled quotes ("") to undo. */
export const FIELD_ESCAPED = 2;

/**
 * Byte ranges of the fields of a batch of records, reused from batch to batch. The current record's
 * field f is at index base + f.
 */
export class FieldOffsets {
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly flags: Uint8Array;
  /** Per record of the batch: its field count and its row number. */
  readonly counts: Int32Array;
  readonly rows: Int32Array;
  /** Index of the current record's first field, and the record's number in the batch. */
  base = 0;
  record = 0;
  /** Fields in the current record (may exceed the capacity: only the first `capacity` are stored). */
  count = 0;

  constructor(
    readonly capacity: number,
    readonly batch = 1,
  ) {
    this.starts = new Int32Array(capacity * batch);
    this.ends = new Int32Array(capacity * batch);
    this.flags = new Uint8Array(capacity * batch);
    this.counts = new Int32Array(batch);
    this.rows = new Int32Array(batch);
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
    fields.base = 0;
    fields.count = f;
    // An empty line (or a lone CR) is no record; it still has a row number.
    if (f > 1 || quoted || ends[0]! > starts[0]!) emit(row);
    row++;
  }
  return { records: row, stop: n };
}

/** Records per native scan batch. */
export const NATIVE_BATCH = 1024;

/**
 * scanCsv with the native scanner (native/csv_scan.c) when the addon is built — same records, same
 * numbering, same stop — and the JavaScript loop above otherwise or when `useNative` is false.
 */
export function scanCsvFast(
  bytes: Buffer,
  delimiter: number,
  capacity: number,
  emit: (fields: FieldOffsets, row: number) => void,
  useNative = true,
  /** Called with each native batch before its records are emitted; true when it took them all (no emits). */
  onBatch?: (fields: FieldOffsets, records: number) => boolean,
): ScanResult {
  const scanNative = useNative ? native?.scanCsvBatch : undefined;
  if (!scanNative) {
    const fields = new FieldOffsets(capacity);
    return scanCsv(bytes, delimiter, fields, (row) => emit(fields, row));
  }
  const fields = new FieldOffsets(capacity, NATIVE_BATCH);
  const state = new Int32Array(4); // position, row, stopped at an irregular record, done
  const { starts, ends, flags, counts, rows } = fields;
  for (;;) {
    const emitted = scanNative(
      bytes,
      delimiter,
      capacity,
      NATIVE_BATCH,
      starts,
      ends,
      flags,
      counts,
      rows,
      state,
    );
    const taken = onBatch?.(fields, emitted) ?? false;
    for (let k = 0; k < (taken ? 0 : emitted); k++) {
      fields.record = k;
      fields.base = k * capacity;
      fields.count = counts[k]!;
      emit(fields, rows[k]!);
    }
    if (state[2] === 1 || state[3] === 1) return { records: state[1]!, stop: state[0]! };
  }
}
