const QUOTE = 34;
const LF = 10;
const CR = 13;

export interface CsvRecordSink {
  /** One record; `row` counts records from the start of the text (blank lines count, quoted newlines do not). */
  (fields: string[], row: number): void;
}

export class UnterminatedQuoteError extends Error {
  constructor(readonly row: number) {
    super(`unterminated quoted field at record ${row}`);
  }
}

/**
 * RFC 4180 records with any one-character delimiter. Lines without a quote take a split() fast path;
 * quoted fields may hold delimiters, doubled quotes and newlines. CRLF and LF both end records.
 * Returns the number of records (including blank lines, which are skipped).
 */
export function parseCsv(text: string, delimiter: string, emit: CsvRecordSink): number {
  const length = text.length;
  const delimiterCode = delimiter.charCodeAt(0);
  let position = 0;
  let row = 0;
  let nextQuote = text.indexOf('"');
  while (position < length) {
    let lineEnd = text.indexOf("\n", position);
    if (lineEnd === -1) lineEnd = length;
    if (nextQuote !== -1 && nextQuote < position) nextQuote = text.indexOf('"', position);
    if (nextQuote === -1 || nextQuote >= lineEnd) {
      const end = lineEnd > position && text.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
      if (end > position) emit(text.slice(position, end).split(delimiter), row);
      row++;
      position = lineEnd + 1;
      continue;
    }
    position = parseQuotedRecord(text, position, delimiterCode, row, emit);
    row++;
  }
  return row;
}

// The slow path: one record that contains at least one quote, character by character.
function parseQuotedRecord(
  text: string,
  start: number,
  delimiter: number,
  row: number,
  emit: CsvRecordSink,
): number {
  const fields: string[] = [];
  const length = text.length;
  let position = start;
  for (;;) {
    let field = "";
    if (text.charCodeAt(position) === QUOTE) {
      position++;
      for (;;) {
        const close = text.indexOf('"', position);
        if (close === -1) throw new UnterminatedQuoteError(row);
        field += text.slice(position, close);
        position = close + 1;
        if (text.charCodeAt(position) === QUOTE) {
          field += '"';
          position++;
          continue;
        }
        break;
      }
    }
    // Unquoted text, or anything between a closing quote and the next delimiter, is kept literally.
    let end = position;
    while (end < length) {
      const code = text.charCodeAt(end);
      if (code === delimiter || code === LF) break;
      end++;
    }
    let tail = text.slice(position, end);
    if (end < length && text.charCodeAt(end) === LF && tail.endsWith("\r")) tail = tail.slice(0, -1);
    else if (end === length && tail.endsWith("\r")) tail = tail.slice(0, -1);
    fields.push(field + tail);
    if (end >= length || text.charCodeAt(end) === LF) {
      emit(fields, row);
      return end + 1;
    }
    position = end + 1;
  }
}
