import { crc32 } from "node:zlib";

/**
 * The journal's framing: every record is [u32 length][u32 crc32(payload)][payload], little endian.
 * A record is valid only if it is complete and its checksum matches, so a write torn by a crash
 * (short tail, zeroed or garbled bytes) is recognised and dropped instead of being half-applied.
 */
export const FRAME_HEADER_BYTES = 8;
/** No single transaction may exceed this; a larger length field means a garbled header. */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;

export function encodeFrame(payload: string): Buffer {
  const body = Buffer.from(payload, "utf8");
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + body.length);
  frame.writeUInt32LE(body.length, 0);
  frame.writeUInt32LE(crc32(body), 4);
  body.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

/** The payloads of the intact prefix of `buf`, and where that prefix ends (the torn tail starts). */
export function decodeFrames(buf: Buffer): { payloads: string[]; validBytes: number } {
  const payloads: string[] = [];
  let offset = 0;
  while (offset + FRAME_HEADER_BYTES <= buf.length) {
    const length = buf.readUInt32LE(offset);
    const checksum = buf.readUInt32LE(offset + 4);
    const end = offset + FRAME_HEADER_BYTES + length;
    if (length > MAX_FRAME_BYTES || end > buf.length) break;
    const body = buf.subarray(offset + FRAME_HEADER_BYTES, end);
    if (crc32(body) !== checksum) break;
    payloads.push(body.toString("utf8"));
    offset = end;
  }
  return { payloads, validBytes: offset };
}
