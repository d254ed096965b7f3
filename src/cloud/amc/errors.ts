import { AwsError } from "../aws-error.ts";

/** AMC admin API errors: serve renders them as { code, details, ...fields } with the status. */
export const amcBadRequest = (details: string, fields: Record<string, unknown> = {}) =>
  new AwsError("BAD_REQUEST", details, 400, fields);
export const amcNotFound = (details: string) => new AwsError("NOT_FOUND", details, 404);
export const amcConflict = (details: string) => new AwsError("CONFLICT", details, 409);
export const amcForbidden = (details: string) => new AwsError("FORBIDDEN", details, 403);

const AMC_CODE: Record<string, [code: string, status: number]> = {
  ValidationException: ["BAD_REQUEST", 400],
  ResourceNotFoundException: ["NOT_FOUND", 404],
  ConflictException: ["CONFLICT", 409],
  AccessDeniedException: ["FORBIDDEN", 403],
  ServiceQuotaExceededException: ["BAD_REQUEST", 400],
  ExceedsLimitException: ["BAD_REQUEST", 400],
};

/** Runs a call on the AWS side and answers its errors the way AMC does. */
export async function asAmc<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AwsError && AMC_CODE[error.code]) {
      const [code, status] = AMC_CODE[error.code]!;
      throw new AwsError(code, error.message, status);
    }
    throw error;
  }
}
