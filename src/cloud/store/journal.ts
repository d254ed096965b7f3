import { crc32 } from "node:zlib";

/**
 * The journal's (and the snapshot's) framing: every record is [u32 length][u32 crc32(payload)][payload],
 * little endian. A record is valid only if it is complete and its checksum matches, so a write torn
 * by a crash (short tail, zeroed or garbled bytes) is recognised and dropped instead of being
 * half-applied.
 */
export const FRAME_HEADER_BYTES = 8;
/** No single transaction may exceed this; a larger length field means a garbled header. */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;

/** The header of a frame around `body`, for writing header and body without copying the body. */
export function frameHeader(body: Buffer): Buffer {
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  header.writeUInt32LE(body.length, 0);
  header.writeUInt32LE(crc32(body), 4);
  return header;
}

export function encodeFrame(payload: string | Buffer): Buffer {
  const body = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + body.length);
  frame.writeUInt32LE(body.length, 0);
  frame.writeUInt32LE(crc32(body), 4);
  body.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

/** The bodies of the intact prefix of `buf` (views, not copies), and where that prefix ends. */
export function decodeFrameBodies(buf: Buffer): { bodies: Buffer[]; validBytes: number } {
  const bodies: Buffer[] = [];
  let offset = 0;
  while (offset + FRAME_HEADER_BYTES <= buf.length) {
    const length = buf.readUInt32LE(offset);
    const checksum = buf.readUInt32LE(offset + 4);
    const end = offset + FRAME_HEADER_BYTES + length;
    if (length > MAX_FRAME_BYTES || end > buf.length) break;
    const body = buf.subarray(offset + FRAME_HEADER_BYTES, end);
    if (crc32(body) !== checksum) break;
    bodies.push(body);
    offset = end;
  }
  return { bodies, validBytes: offset };
}

/** The payloads of the intact prefix of `buf`, and where that prefix ends (the torn tail starts). */
export function decodeFrames(buf: Buffer): { payloads: string[]; validBytes: number } {
  const { bodies, validBytes } = decodeFrameBodies(buf);
  return { payloads: bodies.map((body) => body.toString("utf8")), validBytes };
}
