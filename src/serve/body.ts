import { AwsError } from "../cloud/aws-error.ts";

/** Bodies of non-streaming protocols are small JSON/XML/form documents; anything bigger is refused. */
export const MAX_BUFFERED_BODY = 16 * 1024 * 1024;

/**
 * A JSON protocol's request body: a JSON object, or {} when the body is empty. Anything else is
 * a 400 with the protocol's error `code` (SerializationException on AWS, BAD_REQUEST on AMC).
 */
export async function readJsonObject(
  body: AsyncIterable<Uint8Array> | Uint8Array,
  code: string,
): Promise<Record<string, unknown>> {
  const text = utf8(await readBody(body));
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AwsError(code, "The request body is not valid JSON.", 400);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new AwsError(code, "The request body must be a JSON object.", 400);
  }
  return value as Record<string, unknown>;
}

export async function readBody(
  body: AsyncIterable<Uint8Array> | Uint8Array,
  limit = MAX_BUFFERED_BODY,
): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  if (isNodeReadable(body)) return readNodeStream(body, limit);
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

interface NodeReadable extends AsyncIterable<Uint8Array> {
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
  destroy(error?: Error): unknown;
  readableEnded?: boolean;
}

const isNodeReadable = (body: unknown): body is NodeReadable =>
  typeof (body as NodeReadable).on === "function" && typeof (body as NodeReadable).destroy === "function";

/** Event-based read of a small Node stream: much cheaper per request than an async iterator. */
function readNodeStream(stream: NodeReadable, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        stream.destroy();
        reject(new AwsError("RequestEntityTooLarge", `The request body exceeds ${limit} bytes.`, 413));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      stream.off("data", onData);
      stream.off("end", onEnd);
      stream.off("error", onError);
    };
    stream.on("data", onData);
    stream.on("end", onEnd);
    stream.on("error", onError);
  });
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
