import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { App } from "./app.ts";
import type { WireRequest, WireResponse } from "./protocol.ts";

function wireHeaders(headers: IncomingMessage["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

export function fromIncoming(request: IncomingMessage): WireRequest {
  const url = request.url ?? "/";
  const queryAt = url.indexOf("?");
  return {
    method: request.method ?? "GET",
    rawPath: queryAt < 0 ? url : url.slice(0, queryAt),
    rawQuery: queryAt < 0 ? "" : url.slice(queryAt + 1),
    headers: wireHeaders(request.headers),
    body: request,
  };
}

/** Writes a WireResponse, streaming bodies with backpressure; a failing stream aborts the connection. */
export async function writeResponse(response: WireResponse, res: ServerResponse): Promise<void> {
  const { body } = response;
  if (typeof body === "string" || body instanceof Uint8Array) {
    // A known length spares the chunked framing (and the writev it takes) that Node uses otherwise.
    response.headers["content-length"] ??= String(
      typeof body === "string" ? Buffer.byteLength(body) : body.byteLength,
    );
    res.writeHead(response.status, response.headers);
    res.end(body);
    return;
  }
  res.writeHead(response.status, response.headers);
  if (body === undefined) {
    res.end();
    return;
  }
  try {
    await pipeline(Readable.from(body, { objectMode: false }), res);
  } catch {
    res.destroy();
  }
}

/** How long a connection may go on sending a body nobody reads after its answer went out. */
const UNREAD_BODY_LINGER_MS = 2_000;

/**
 * An answer sent before its request body was read through (a 413, a refusal before an upload):
 * closing the socket at once would make the kernel reset it with the client's bytes unread, and the
 * client would see ECONNRESET instead of the answer. So the rest is read and dropped, and only a body
 * still arriving after UNREAD_BODY_LINGER_MS (one that never ends) gets the connection closed.
 */
function drainUnreadBody(req: IncomingMessage): void {
  if (req.complete) return;
  const timer = setTimeout(() => req.socket.destroy(), UNREAD_BODY_LINGER_MS);
  timer.unref();
  req.once("end", () => clearTimeout(timer));
  req.once("close", () => clearTimeout(timer));
  req.resume();
}

export function nodeListener(app: App) {
  return (req: IncomingMessage, res: ServerResponse) => {
    app
      .handle(fromIncoming(req))
      .then((response) => writeResponse(response, res))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      })
      .finally(() => drainUnreadBody(req));
  };
}
