import { AwsError } from "../../aws-error.ts";
import type { AwsService, Operation, RequestContext } from "../../service.ts";

/** An operation's output: the service's shape, loosely typed as the AwsService contract declares it. */
export type Output = Awaited<ReturnType<Operation>>;

/** Calls one operation of an in-process service (providers talk to their service this way). */
export function caller(service: AwsService) {
  return async (operation: string, input: Record<string, unknown>, ctx: RequestContext): Promise<Output> => {
    const handler = service.operations[operation];
    if (!handler) throw new Error(`${service.signingName} has no operation ${operation}`);
    return handler(input, ctx);
  };
}

/** True when error is AwsError with one of the given codes (the only errors a provider tolerates). */
export function isAwsError(error: unknown, ...codes: string[]): error is AwsError {
  return error instanceof AwsError && codes.includes(error.code);
}

/** Re-throws a service's "already exists" error carrying the Cloud Control identifier (for adopt). */
export function withIdentifier(error: unknown, identifier: string): unknown {
  if (error instanceof AwsError) {
    return new AwsError(error.code, error.message, error.status, { ...error.fields, identifier });
  }
  return error;
}

export const notUpdatable = (message: string) =>
  new AwsError("ValidationException", message, 400, { handlerErrorCode: "NotUpdatable" });
