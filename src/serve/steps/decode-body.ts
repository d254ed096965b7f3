import { decodeAwsChunked } from "../aws-chunked.ts";
import { asStream, readBody } from "../body.ts";
import { verifyChecksums } from "../checksums.ts";
import type { Step } from "../pipeline.ts";

const isAwsChunked = (headers: Record<string, string>) =>
  headers["x-amz-content-sha256"]?.startsWith("STREAMING-") ||
  (headers["content-encoding"] ?? "").split(",").some((part) => part.trim() === "aws-chunked");

/**
 * The body as the operation should see it: aws-chunked framing removed (trailers collected), and a
 * streamed body checked against the checksums the client sent (headers or trailers) as it is read.
 */
export function decodeBody(): Step {
  return async function decodeBody(c, next) {
    const { headers } = c.request;
    const chunked = isAwsChunked(headers);
    if (!chunked && !c.protocol.streamsBody) return next();
    const trailers: Record<string, string> = {};
    let body = c.body;
    if (chunked) body = decodeAwsChunked(asStream(body), trailers);
    c.body = c.protocol.streamsBody
      ? verifyChecksums(asStream(body), headers, trailers)
      : await readBody(body);
    return next();
  };
}
