import { AwsError } from "../cloud/aws-error.ts";

/** Bodies of non-streaming protocols are small JSON/XML/form documents; anything bigger is refused. */
export const MAX_BUFFERED_BODY = 16 * 1024 * 1024;

/**
 * The deepest JSON a request may nest. Services written on Jackson stop at this depth by default
 * (StreamReadConstraints.DEFAULT_MAX_DEPTH = 1000); deeper input would also overflow the stack of the
 * recursive walks that follow the parse, which must be a 400, not a 500.
 */
export const MAX_JSON_DEPTH = 1000;

/** Whether a JSON text nests arrays and objects more than `max` levels deep (strings skipped). */
export function nestsDeeperThan(text: string, max: number): boolean {
  // Each level takes at least one character.
  if (text.length <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) i++;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      if (++depth > max) return true;
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return false;
}

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
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new AwsError(code, `The request body nests JSON deeper than ${MAX_JSON_DEPTH} levels.`, 400);
  }
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

const bodyTooLarge = (limit: number) =>
  new AwsError("RequestEntityTooLarge", `The request body exceeds ${limit} bytes.`, 413);

export async function readBody(
  body: AsyncIterable<Uint8Array> | Uint8Array,
  limit = MAX_BUFFERED_BODY,
  tooLarge: (limit: number) => AwsError = bodyTooLarge,
): Promise<Uint8Array> {
  if (body instanceof Uint8Array) {
    if (body.byteLength > limit) throw tooLarge(limit);
    return body;
  }
  if (isNodeReadable(body)) return readNodeStream(body, limit, tooLarge);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks);
}

/**
 * The body as a stream that fails with `tooLarge()` once more than `limit` bytes came through. A
 * socket's request is left open, not destroyed, when it stops early: the HTTP layer still has to
 * answer on that connection (see node-adapter.ts).
 */
export async function* limitStream(
  body: AsyncIterable<Uint8Array> | Uint8Array,
  limit: number,
  tooLarge: (limit: number) => AwsError = bodyTooLarge,
): AsyncGenerator<Uint8Array> {
  if (body instanceof Uint8Array) {
    if (body.byteLength > limit) throw tooLarge(limit);
    if (body.byteLength) yield body;
    return;
  }
  const source = isNodeReadable(body) && body.iterator ? body.iterator({ destroyOnReturn: false }) : body;
  let size = 0;
  for await (const chunk of source) {
    size += chunk.byteLength;
    if (size > limit) {
      if (isNodeReadable(body)) body.pause();
      throw tooLarge(limit);
    }
    yield chunk;
  }
}

interface NodeReadable extends AsyncIterable<Uint8Array> {
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
  destroy(error?: Error): unknown;
  pause(): unknown;
  iterator?(options: { destroyOnReturn: boolean }): AsyncIterable<Uint8Array>;
  readableEnded?: boolean;
}

const isNodeReadable = (body: unknown): body is NodeReadable =>
  typeof (body as NodeReadable).on === "function" && typeof (body as NodeReadable).destroy === "function";

/** Event-based read of a small Node stream: much cheaper per request than an async iterator. */
function readNodeStream(
  stream: NodeReadable,
  limit: number,
  tooLarge: (limit: number) => AwsError,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Not destroyed: the 413 must still reach the client over this connection.
        cleanup();
        stream.pause();
        reject(tooLarge(limit));
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
