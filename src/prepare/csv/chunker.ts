import type { FileHandle } from "node:fs/promises";

const QUOTE = 34;
const LF = 10;

export interface CsvChunk {
  bytes: Buffer;
  /** Record number (0-based, counted from `start`) of the chunk's first record. */
  firstRecord: number;
  /** Records in the chunk, blank lines included. */
  records: number;
}

export class RecordTooLongError extends Error {
  constructor(readonly record: number) {
    super(`record ${record} is longer than the chunk limit`);
  }
}

/**
 * Cuts a CSV byte stream into chunks that end on a record boundary: a newline outside quotes (quote
 * parity handles "" escapes for free). Chunks never split a UTF-8 sequence because they end on '\n'.
 */
export async function* csvChunks(
  file: FileHandle,
  start: number,
  chunkBytes: number,
  maxRecordBytes = 64 * 1024 * 1024,
): AsyncGenerator<CsvChunk> {
  // `carry` holds the bytes after the last cut: never a complete record; its quote state is `inQuotes`.
  let carry: Buffer = Buffer.alloc(0);
  let position = start;
  let record = 0;
  let inQuotes = false;
  for (;;) {
    const buffer = Buffer.allocUnsafe(carry.length + chunkBytes);
    carry.copy(buffer, 0);
    const { bytesRead } = await file.read(buffer, carry.length, chunkBytes, position);
    position += bytesRead;
    const filled = carry.length + bytesRead;
    if (bytesRead === 0) {
      if (filled > 0) yield { bytes: buffer.subarray(0, filled), firstRecord: record, records: 1 };
      return;
    }
    let records = 0;
    let cut = -1;
    let quotes: boolean = inQuotes;
    for (let i = carry.length; i < filled; i++) {
      const byte = buffer[i];
      if (byte === QUOTE) quotes = !quotes;
      else if (byte === LF && !quotes) {
        cut = i;
        records++;
      }
    }
    inQuotes = quotes;
    if (cut === -1) {
      if (filled > maxRecordBytes) throw new RecordTooLongError(record);
      carry = buffer.subarray(0, filled);
      continue;
    }
    yield { bytes: buffer.subarray(0, cut + 1), firstRecord: record, records };
    record += records;
    carry = Buffer.from(buffer.subarray(cut + 1, filled));
  }
}
