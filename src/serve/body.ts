import { AwsError } from "../cloud/aws-error.ts";

/** Bodies of non-streaming protocols are small JSON/XML/form documents; anything bigger is refused. */
export const MAX_BUFFERED_BODY = 16 * 1024 * 1024;

export async function readBody(
  body: AsyncIterable<Uint8Array> | Uint8Array,
  limit = MAX_BUFFERED_BODY,
): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) {
      throw new AwsError("RequestEntityTooLarge", `The request body exceeds ${limit} bytes.`, 413);
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks);
}

export async function* asStream(body: AsyncIterable<Uint8Array> | Uint8Array): AsyncIterable<Uint8Array> {
  if (body instanceof Uint8Array) {
    if (body.byteLength) yield body;
    return;
  }
  yield* body;
}

export const utf8 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");

/** Releases a body the client will never read (HEAD, or a connection that went away). */
export function discardBody(body: unknown): void {
  const stream = body as { destroy?: () => void } | undefined;
  if (stream && typeof stream === "object" && typeof stream.destroy === "function") stream.destroy();
}
