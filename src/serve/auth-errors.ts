import { AwsError } from "../cloud/aws-error.ts";
import type { AuthFailure, AuthFailureKind } from "./sigv4.ts";

type Codes = Record<AuthFailureKind, [code: string, status: number]>;

/** Coral-based JSON and REST-JSON services (Glue, Cloud Control, Entity Resolution, Clean Rooms). */
const JSON_CODES: Codes = {
  missing: ["MissingAuthenticationTokenException", 403],
  malformed: ["IncompleteSignatureException", 400],
  unknownKey: ["UnrecognizedClientException", 403],
  mismatch: ["InvalidSignatureException", 403],
  skewed: ["InvalidSignatureException", 403],
  expired: ["InvalidSignatureException", 403],
  region: ["InvalidSignatureException", 403],
};

/** Query-protocol services (IAM) use the common error names without the Exception suffix. */
const QUERY_CODES: Codes = {
  missing: ["MissingAuthenticationToken", 403],
  malformed: ["IncompleteSignature", 400],
  unknownKey: ["InvalidClientTokenId", 403],
  mismatch: ["SignatureDoesNotMatch", 403],
  skewed: ["SignatureDoesNotMatch", 403],
  expired: ["SignatureDoesNotMatch", 403],
  region: ["SignatureDoesNotMatch", 403],
};

/** S3 has its own names. */
const S3_CODES: Codes = {
  missing: ["AccessDenied", 403],
  malformed: ["AuthorizationHeaderMalformed", 400],
  unknownKey: ["InvalidAccessKeyId", 403],
  mismatch: ["SignatureDoesNotMatch", 403],
  skewed: ["RequestTimeTooSkewed", 403],
  expired: ["AccessDenied", 403],
  region: ["AuthorizationHeaderMalformed", 400],
};

const S3_MESSAGES: Partial<Record<AuthFailureKind, string>> = {
  missing: "Access Denied",
  unknownKey: "The AWS Access Key Id you provided does not exist in our records.",
  skewed: "The difference between the request time and the current time is too large.",
};

const build = (codes: Codes, failure: AuthFailure, message = failure.message) =>
  new AwsError(codes[failure.kind][0], message, codes[failure.kind][1]);

export const jsonAuthError = (failure: AuthFailure) => build(JSON_CODES, failure);
export const queryAuthError = (failure: AuthFailure) => build(QUERY_CODES, failure);
export function s3AuthError(failure: AuthFailure): AwsError {
  const wrong = failure.regionMismatch;
  if (wrong) {
    // S3 names the region it expects, in the message and in a <Region> element SDKs read to redirect.
    const fields = { Region: wrong.expectedRegion };
    return wrong.presigned
      ? new AwsError(
          "AuthorizationQueryParametersError",
          `Error parsing the X-Amz-Credential parameter; the region '${wrong.region}' is wrong; expecting '${wrong.expectedRegion}'`,
          400,
          fields,
        )
      : new AwsError(
          "AuthorizationHeaderMalformed",
          `The authorization header is malformed; the region '${wrong.region}' is wrong; expecting '${wrong.expectedRegion}'`,
          400,
          fields,
        );
  }
  return build(S3_CODES, failure, S3_MESSAGES[failure.kind] ?? failure.message);
}
