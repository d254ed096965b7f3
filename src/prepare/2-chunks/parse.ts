const QUOTE = 34;
const CR = 13;

/** One record; `row` counts records from the start of the text (blank lines count, quoted newlines do not). */
export type CsvRecordSink = (fields: string[], row: number) => void;

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

// The slow path: one record that contains at least one quote. Quoted fields are found with indexOf on
// quotes, unquoted ones with indexOf on the delimiter, bounded by the record's newline.
function parseQuotedRecord(
  text: string,
  start: number,
  delimiter: number,
  row: number,
  emit: CsvRecordSink,
): number {
  const fields: string[] = [];
  const length = text.length;
  const delimiterChar = String.fromCharCode(delimiter);
  let position = start;
  let lineEnd = text.indexOf("\n", position);
  if (lineEnd === -1) lineEnd = length;
  for (;;) {
    let field = "";
    if (text.charCodeAt(position) === QUOTE) {
      position++;
      for (;;) {
        const close = text.indexOf('"', position);
        if (close === -1) throw new UnterminatedQuoteError(row);
        field += text.slice(position, close);
        position = close + 1;
        if (text.charCodeAt(position) !== QUOTE) break;
        field += '"';
        position++;
      }
      if (position > lineEnd) {
        lineEnd = text.indexOf("\n", position);
        if (lineEnd === -1) lineEnd = length;
      }
    }
    // Unquoted text, or anything between a closing quote and the next delimiter, is kept literally.
    let end = text.indexOf(delimiterChar, position);
    const last = end === -1 || end > lineEnd;
    if (last) end = lineEnd;
    let tail = text.slice(position, end);
    if (last && tail.charCodeAt(tail.length - 1) === CR) tail = tail.slice(0, -1);
    fields.push(field.length === 0 ? tail : field + tail);
    if (last) {
      emit(fields, row);
      return end + 1;
    }
    position = end + 1;
  }
}
