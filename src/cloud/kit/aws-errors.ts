import { AwsError } from "../aws-error.ts";
import type { Operation, RequestContext } from "../service.ts";
import type { ApiObject } from "./shapes.ts";

/** True when error is AwsError with one of the given codes (with no codes: any AwsError). */
export function isAwsError(error: unknown, ...codes: string[]): error is AwsError {
  return error instanceof AwsError && (codes.length === 0 || codes.includes(error.code));
}

/** Runs a Get operation; one of `absentCodes` means "absent" (undefined), anything else is thrown. */
export async function readOrUndefined(
  get: Operation,
  input: Record<string, unknown>,
  ctx: RequestContext,
  absentCodes: string[] = ["ResourceNotFoundException"],
): Promise<ApiObject | undefined> {
  try {
    return await get(input, ctx);
  } catch (error) {
    if (isAwsError(error, ...absentCodes)) return undefined;
    throw error;
  }
}

/** Re-throws a service's "already exists" error carrying the Cloud Control identifier (for adopt). */
export function withIdentifier(error: unknown, identifier: string): unknown {
  if (error instanceof AwsError) {
    return new AwsError(error.code, error.message, error.status, { ...error.fields, identifier });
  }
  return error;
}

/** A provider's answer to an update of a property the service cannot change in place. */
export const notUpdatable = (message: string) =>
  new AwsError("ValidationException", message, 400, { handlerErrorCode: "NotUpdatable" });
