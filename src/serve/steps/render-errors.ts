import { AwsError } from "../../cloud/aws-error.ts";
import type { Step } from "../pipeline.ts";
import type { ProtocolHandler } from "../protocol.ts";
import { AuthFailure } from "../sigv4.ts";

/** The AwsError an error stands for, or undefined for an unexpected one. */
export function asAwsError(error: unknown, protocol: ProtocolHandler): AwsError | undefined {
  if (error instanceof AwsError) return error;
  if (error instanceof AuthFailure) return protocol.authError(error);
  const candidate = error as Partial<AwsError> | undefined;
  // An AwsError from another copy of the module (e.g. a second tsx loader) still counts.
  if (
    candidate?.name === "AwsError" &&
    typeof candidate.code === "string" &&
    typeof candidate.status === "number"
  ) {
    return new AwsError(candidate.code, candidate.message ?? "", candidate.status, candidate.fields ?? {});
  }
  return undefined;
}

/** The 500 each protocol's real service answers, without any detail of what broke. */
export function internalError(protocol: ProtocolHandler): AwsError {
  return protocol.name.startsWith("restXml")
    ? new AwsError("InternalError", "We encountered an internal error. Please try again.", 500)
    : new AwsError(
        "InternalFailure",
        "The request processing has failed because of an unknown error, exception or failure.",
        500,
      );
}

/**
 * Renders whatever the later steps threw in the protocol chosen so far: AwsError and AuthFailure in
 * the service's own shape, anything else as its 500 (the class name goes to the access log only).
 */
export function renderErrors(): Step {
  return async function renderErrors(c, next) {
    try {
      await next();
    } catch (error) {
      let awsError = asAwsError(error, c.protocol);
      if (!awsError) {
        c.unexpected = (error as Error)?.name ?? typeof error;
        awsError = internalError(c.protocol);
      }
      c.response = c.protocol.renderError(awsError, c.requestId, c.call);
    }
  };
}
