import { AwsError } from "../../cloud/aws-error.ts";
import { readBody as bufferBody, limitStream, MAX_BUFFERED_BODY } from "../body.ts";
import type { Step } from "../pipeline.ts";

export interface BodyLimits {
  /** The largest body of any request, uploads included (413 beyond it). */
  maxBodyBytes: number;
  /** The largest JSON/XML/form document a non-streaming protocol buffers; the smaller of the two applies. */
  maxDocumentBytes?: number;
}

const tooLarge = (limit: number, hint: string) =>
  new AwsError("RequestEntityTooLarge", `The request body exceeds ${limit} bytes${hint}.`, 413);

/**
 * Takes the body in under the size caps before anything reads it: a protocol that buffers (JSON,
 * query, AMC) gets its bytes here, so that the signature can cover exactly what arrived; a streaming
 * one (S3 objects) gets a stream that fails with 413 once it passes the cap, however it is framed
 * (Content-Length, chunked, aws-chunked), so an endless upload ends instead of filling the disk.
 */
export function readBody({ maxBodyBytes, maxDocumentBytes = MAX_BUFFERED_BODY }: BodyLimits): Step {
  const documentLimit = Math.min(maxBodyBytes, maxDocumentBytes);
  const uploadHint = " (IDBRIDGE_MAX_BODY_BYTES or idbridge serve --max-body-bytes raises the cap)";
  return async function readBody(c, next) {
    const { headers } = c.request;
    const contentSha = headers["x-amz-content-sha256"];
    if (contentSha?.startsWith("STREAMING-AWS4-") || contentSha?.startsWith("STREAMING-ECDSA")) {
      throw new AwsError(
        "NotImplemented",
        "Signed aws-chunked payloads are not supported here; send UNSIGNED-PAYLOAD or STREAMING-UNSIGNED-PAYLOAD-TRAILER.",
        501,
      );
    }
    const limit = c.protocol.streamsBody ? maxBodyBytes : documentLimit;
    const hint = limit === maxBodyBytes ? uploadHint : "";
    const declared = Number(headers["x-amz-decoded-content-length"] ?? headers["content-length"] ?? 0);
    if (declared > limit) throw tooLarge(limit, hint);
    if (c.protocol.streamsBody) {
      c.body = limitStream(c.request.body, limit, () => tooLarge(limit, hint));
    } else {
      c.payload = await bufferBody(c.request.body, limit, () => tooLarge(limit, hint));
      c.body = c.payload;
    }
    return next();
  };
}
