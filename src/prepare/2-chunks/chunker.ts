import type { FileHandle } from "node:fs/promises";
import { native } from "../native-addon.ts";

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
 * The next read is under way while the consumer works on a chunk.
 */
export async function* csvChunks(
  file: FileHandle,
  start: number,
  chunkBytes: number | ((position: number) => number),
  maxRecordBytes = 64 * 1024 * 1024,
  reuse: (bytes: number) => Buffer | undefined = () => undefined,
  /** Read on from the current position (a pipe) instead of at `start` + offsets (a file). */
  sequential = false,
): AsyncGenerator<Buffer> {
  let position = start;
  const sizeAt = typeof chunkBytes === "number" ? () => chunkBytes : chunkBytes;
  // A buffer that starts with `carry` bytes (never a complete record) and gets the next bytes of the file.
  const readAfter = (carry: Buffer) => {
    const bytes = sizeAt(position);
    // allocUnsafeSlow: never from Node's shared pool, so a chunk may be transferred to a worker thread.
    const buffer = reuse(carry.length + bytes) ?? Buffer.allocUnsafeSlow(carry.length + bytes);
    carry.copy(buffer, 0);
    const read = sequential
      ? readFully(file, buffer, carry.length, bytes)
      : file.read(buffer, carry.length, bytes, position);
    // Awaited below; when the consumer stops early (a bad row), nobody does: that is no crash.
    read.catch(() => undefined);
    position += bytes;
    return { buffer, carried: carry.length, bytes, read };
  };
  let next = readAfter(Buffer.alloc(0));
  let inQuotes = false; // the quote state at the end of the carried bytes
  for (;;) {
    const { buffer, carried, bytes, read } = next;
    const { bytesRead } = await read;
    position += bytesRead - bytes;
    const filled = carried + bytesRead;
    if (bytesRead === 0) {
      if (filled > 0) yield buffer.subarray(0, filled);
      return;
    }
    const { cut, quotesAfterCut } = lastRecordEnd(buffer, carried, filled, inQuotes);
    if (cut === -1) {
      if (filled > maxRecordBytes) throw new RecordTooLongError(position - filled);
      inQuotes = quotesAfterCut % 2 === 1 ? !inQuotes : inQuotes;
      next = readAfter(buffer.subarray(0, filled));
      continue;
    }
    // The carry starts right after a record end, i.e. outside quotes. It is copied into the next buffer
    // before this chunk goes out: the consumer may transfer the chunk's memory to a worker thread.
    inQuotes = quotesAfterCut % 2 === 1;
    next = readAfter(buffer.subarray(cut + 1, filled));
    yield buffer.subarray(0, cut + 1);
  }
}

/** Reads until `length` bytes are in or the stream ends: a pipe hands out at most 64 KB per read. */
async function readFully(
  file: FileHandle,
  buffer: Buffer,
  offset: number,
  length: number,
): Promise<{ bytesRead: number }> {
  let total = 0;
  while (total < length) {
    const { bytesRead } = await file.read(buffer, offset + total, length - total, null);
    if (bytesRead === 0) break;
    total += bytesRead;
  }
  return { bytesRead: total };
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
  const total = countQuotes(buffer, from, end);
  let candidate = buffer.lastIndexOf(LF, end - 1);
  while (candidate >= from) {
    const after = countQuotes(buffer, candidate, end);
    const quoted = inQuotesAtFrom !== ((total - after) % 2 === 1);
    if (!quoted) return { cut: candidate, quotesAfterCut: after };
    // Inside a quoted field: the last record end can only be before the quote that opened it.
    const opening = buffer.lastIndexOf(QUOTE, candidate);
    candidate = opening > from ? buffer.lastIndexOf(LF, opening - 1) : -1;
  }
  return { cut: -1, quotesAfterCut: total };
}

function countQuotes(buffer: Buffer, start: number, end: number): number {
  if (native) return native.countByte(buffer, QUOTE, start, end);
  let count = 0;
  for (let q = buffer.indexOf(QUOTE, start); q !== -1 && q < end; q = buffer.indexOf(QUOTE, q + 1)) count++;
  return count;
}
