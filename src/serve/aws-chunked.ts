import { AwsError } from "../cloud/aws-error.ts";

const CRLF = Buffer.from("\r\n");
const MAX_LINE = 4096;

const incomplete = () =>
  new AwsError("IncompleteBody", "The request body ended before the aws-chunked encoding was complete.", 400);

/**
 * Decodes an `aws-chunked` body (hex size line, data, CRLF; a 0-size chunk, then trailer lines) as the
 * AWS SDKs send it for STREAMING-UNSIGNED-PAYLOAD-TRAILER, without buffering more than one chunk.
 * Trailers (e.g. x-amz-checksum-crc32) are written into `trailers` once the stream is consumed.
 */
export async function* decodeAwsChunked(
  source: AsyncIterable<Uint8Array>,
  trailers: Record<string, string> = {},
): AsyncGenerator<Uint8Array> {
  let pending: Buffer = Buffer.alloc(0);
  const iterator = source[Symbol.asyncIterator]();
  let ended = false;
  const more = async (): Promise<boolean> => {
    if (ended) return false;
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      return false;
    }
    pending = pending.length ? Buffer.concat([pending, next.value]) : Buffer.from(next.value);
    return true;
  };
  const line = async (): Promise<string> => {
    for (;;) {
      const end = pending.indexOf(CRLF);
      if (end >= 0) {
        const text = pending.subarray(0, end).toString("latin1");
        pending = pending.subarray(end + 2);
        return text;
      }
      if (pending.length > MAX_LINE)
        throw new AwsError("InvalidRequest", "Malformed aws-chunked chunk header.", 400);
      if (!(await more())) throw incomplete();
    }
  };

  for (;;) {
    const header = await line();
    const size = Number.parseInt(header.split(";")[0] ?? "", 16);
    if (!Number.isFinite(size) || size < 0) {
      throw new AwsError("InvalidRequest", "Malformed aws-chunked chunk size.", 400);
    }
    if (size === 0) break;
    let remaining = size;
    while (remaining > 0) {
      if (pending.length === 0 && !(await more())) throw incomplete();
      const take = Math.min(remaining, pending.length);
      yield pending.subarray(0, take);
      pending = pending.subarray(take);
      remaining -= take;
    }
    if ((await line()) !== "")
      throw new AwsError("InvalidRequest", "Malformed aws-chunked chunk terminator.", 400);
  }
  for (;;) {
    const trailer = await line().catch((error) => {
      // A body may end right after the 0-size chunk when there are no trailers.
      if (error instanceof AwsError && error.code === "IncompleteBody" && pending.length === 0) return "";
      throw error;
    });
    if (trailer === "") break;
    const colon = trailer.indexOf(":");
    if (colon > 0) trailers[trailer.slice(0, colon).trim().toLowerCase()] = trailer.slice(colon + 1).trim();
  }
}
