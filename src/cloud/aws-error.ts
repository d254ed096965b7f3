/**
 * The one error type of the local cloud. Every service throws it with AWS's own error code and HTTP
 * status; each wire protocol in serve renders it the way that protocol's real service does.
 */
export class AwsError extends Error {
  override readonly name = "AwsError";
  constructor(
    /** AWS error code, e.g. "ValidationException", "ResourceNotFoundException", "NoSuchBucket". */
    readonly code: string,
    message: string,
    /** HTTP status the real service answers with. */
    readonly status = 400,
    /** Extra members some errors carry (e.g. quotaName/quotaValue on ServiceQuotaExceededException). */
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const validation = (message: string) => new AwsError("ValidationException", message, 400);
export const notFound = (message: string, code = "ResourceNotFoundException") =>
  new AwsError(code, message, 404);
export const conflict = (message: string) => new AwsError("ConflictException", message, 409);
export const accessDenied = (message: string) => new AwsError("AccessDeniedException", message, 403);
export const quotaExceeded = (message: string, quotaName: string, quotaValue: number) =>
  new AwsError("ServiceQuotaExceededException", message, 402, { quotaName, quotaValue });
