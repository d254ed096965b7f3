import { timingSafeEqual } from "node:crypto";
import { AwsError } from "../../cloud/aws-error.ts";
import type { Step } from "../pipeline.ts";
import { AuthFailure, type SigningSecret, verifySigV4 } from "../sigv4.ts";

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The AMC admin API's `Authorization: Bearer <token>`; the caller is named by its client id header. */
export function bearerAuth({ token, region }: { token: string; region: string }): Step {
  return async function bearerAuth(c, next) {
    if (c.scheme !== "bearer") return next();
    const header = c.request.headers.authorization ?? "";
    const sent = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
    if (!sent) {
      throw new AuthFailure(
        "missing",
        "Missing bearer token: send Authorization: Bearer <token> (idbridge env prints IDBRIDGE_AMC_TOKEN).",
      );
    }
    if (!sameSecret(sent, token))
      throw new AuthFailure("unknownKey", "The bearer token is not valid for this local AMC.");
    c.principal = c.request.headers["amazon-advertising-api-clientid"] ?? "amc-client";
    c.region = region;
    return next();
  };
}

export interface SigV4Options {
  /** The one key pair this local cloud accepts. */
  secret: SigningSecret;
  /** The region every credential scope must name, as AWS endpoints require their own. */
  region: string;
  now: () => Date;
}

/**
 * SigV4 (Authorization header or presigned query), recomputed with @smithy/signature-v4 over the
 * request as received: a buffered body is hashed as it arrived, so the signature covers it whatever
 * x-amz-content-sha256 claims; a streamed one is checked against that header as it is read.
 */
export function sigV4Auth({ secret, region, now }: SigV4Options): Step {
  const lookupSecret = (accessKeyId: string) => (accessKeyId === secret.accessKeyId ? secret : undefined);
  return async function sigV4Auth(c, next) {
    if (c.scheme !== "sigv4") return next();
    const scope = await verifySigV4(c.request, {
      lookupSecret,
      region,
      payload: c.payload,
      now: now(),
      parsed: c.sigV4,
    });
    if (
      c.protocol.streamsBody &&
      c.request.headers["x-amz-content-sha256"] === undefined &&
      !scope.presigned
    ) {
      throw new AwsError(
        "InvalidRequest",
        "Missing required header for this request: x-amz-content-sha256",
        400,
      );
    }
    c.principal = scope.accessKeyId;
    c.region = scope.region;
    return next();
  };
}
