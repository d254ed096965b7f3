import type { FileHandle } from "node:fs/promises";

const QUOTE = 34;
const LF = 10;

export class RecordTooLongError extends Error {
  constructor(readonly afterByte: number) {
    super(`no record ends within the chunk limit after byte ${afterByte}`);
  }
}

/**
 * Cuts a CSV byte stream into chunks that end on a record boundary: a newline outside quotes. Quote
 * parity (which handles "" escapes for free) is found with indexOf over the quotes only, so a chunk
 * costs a few native scans instead of a JS loop over every byte. Chunks end on '\n', so they never
 * split a UTF-8 sequence. Each chunk is the only user of its ArrayBuffer (it may be transferred).
 */
export async function* csvChunks(
  file: FileHandle,
  start: number,
  chunkBytes: number,
  maxRecordBytes = 64 * 1024 * 1024,
  reuse: (bytes: number) => Buffer | undefined = () => undefined,
): AsyncGenerator<Buffer> {
  // `carry` holds the bytes after the last cut: never a complete record; its quote state is `inQuotes`.
  let carry: Buffer = Buffer.alloc(0);
  let position = start;
  let inQuotes = false;
  for (;;) {
    // allocUnsafeSlow: never from Node's shared pool, so a chunk may be transferred to a worker thread.
    const buffer = reuse(carry.length + chunkBytes) ?? Buffer.allocUnsafeSlow(carry.length + chunkBytes);
    carry.copy(buffer, 0);
    const { bytesRead } = await file.read(buffer, carry.length, chunkBytes, position);
    position += bytesRead;
    const filled = carry.length + bytesRead;
    if (bytesRead === 0) {
      if (filled > 0) yield buffer.subarray(0, filled);
      return;
    }
    const { cut, quotesAfterCut } = lastRecordEnd(buffer, carry.length, filled, inQuotes);
    if (cut === -1) {
      if (filled > maxRecordBytes) throw new RecordTooLongError(position - filled);
      inQuotes = quotesAfterCut % 2 === 1 ? !inQuotes : inQuotes;
      carry = buffer.subarray(0, filled);
      continue;
    }
    // The carry starts right after a record end, i.e. outside quotes.
    inQuotes = quotesAfterCut % 2 === 1;
    // Copy the rest first: the consumer may transfer the chunk's memory to a worker thread.
    carry = Buffer.from(buffer.subarray(cut + 1, filled));
    yield buffer.subarray(0, cut + 1);
  }
}

/**
 * The last '\n' outside quotes in buffer[from, end), given the quote state at `from`; -1 when there is
 * none. Also returns how many quotes follow it (or, with no cut, how many quotes the new bytes hold).
 */
function lastRecordEnd(
  buffer: Buffer,
  from: number,
  end: number,
  inQuotesAtFrom: boolean,
): { cut: number; quotesAfterCut: number } {
  const quotes: number[] = [];
  for (let q = buffer.indexOf(QUOTE, from); q !== -1 && q < end; q = buffer.indexOf(QUOTE, q + 1))
    quotes.push(q);
  let candidate = buffer.lastIndexOf(LF, end - 1);
  let before = quotes.length; // quotes before `candidate`
  while (candidate >= from) {
    while (before > 0 && quotes[before - 1]! > candidate) before--;
    const quoted = inQuotesAtFrom !== (before % 2 === 1);
    if (!quoted) return { cut: candidate, quotesAfterCut: quotes.length - before };
    // Inside a quoted field: the last record end can only be before the quote that opened it.
    const opening = quotes[before - 1] ?? from;
    candidate = opening > from ? buffer.lastIndexOf(LF, opening - 1) : -1;
  }
  return { cut: -1, quotesAfterCut: quotes.length };
}
