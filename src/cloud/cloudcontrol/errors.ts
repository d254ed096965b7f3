import { AwsError } from "../aws-error.ts";

/** Cloud Control's HandlerErrorCode values (API model enum). */
export type HandlerErrorCode =
  | "NotUpdatable"
  | "InvalidRequest"
  | "AccessDenied"
  | "UnauthorizedTaggingOperation"
  | "InvalidCredentials"
  | "AlreadyExists"
  | "NotFound"
  | "ResourceConflict"
  | "Throttling"
  | "ServiceLimitExceeded"
  | "NotStabilized"
  | "GeneralServiceException"
  | "ServiceInternalError"
  | "ServiceTimeout"
  | "NetworkFailure"
  | "InternalFailure";

const BY_SERVICE_CODE: Record<string, HandlerErrorCode> = {
  ResourceNotFoundException: "NotFound",
  EntityNotFoundException: "NotFound",
  NoSuchEntity: "NotFound",
  NoSuchBucket: "NotFound",
  NotFound: "NotFound",
  AlreadyExistsException: "AlreadyExists",
  EntityAlreadyExists: "AlreadyExists",
  BucketAlreadyOwnedByYou: "AlreadyExists",
  BucketAlreadyExists: "AlreadyExists",
  ConflictException: "ResourceConflict",
  DeleteConflict: "ResourceConflict",
  BucketNotEmpty: "ResourceConflict",
  ConcurrentModificationException: "ResourceConflict",
  ValidationException: "InvalidRequest",
  ValidationError: "InvalidRequest",
  InvalidInputException: "InvalidRequest",
  InvalidBucketName: "InvalidRequest",
  MalformedPolicyDocument: "InvalidRequest",
  InvalidArgument: "InvalidRequest",
  AccessDeniedException: "AccessDenied",
  AccessDenied: "AccessDenied",
  ServiceQuotaExceededException: "ServiceLimitExceeded",
  LimitExceeded: "ServiceLimitExceeded",
  ThrottlingException: "Throttling",
};

/** Maps a provider's error to the HandlerErrorCode Cloud Control reports for it. */
export function handlerErrorCode(error: unknown): HandlerErrorCode {
  if (!(error instanceof AwsError)) return "InternalFailure";
  if (error.fields.handlerErrorCode) return error.fields.handlerErrorCode as HandlerErrorCode;
  return (
    BY_SERVICE_CODE[error.code] ?? (error.status >= 500 ? "ServiceInternalError" : "GeneralServiceException")
  );
}

// Cloud Control's model (botocore cloudcontrol/2021-09-30) gives its errors no httpStatusCode, so
// the JSON protocol's defaults apply: 400, and 500 for the shapes marked as faults.
export const typeNotFound = (typeName: unknown) =>
  new AwsError("TypeNotFoundException", `The type '${String(typeName)}' cannot be found.`, 400);
export const invalidRequest = (message: string) => new AwsError("InvalidRequestException", message, 400);
export const resourceNotFound = (typeName: string, identifier: string) =>
  new AwsError(
    "ResourceNotFoundException",
    `Resource of type '${typeName}' with identifier '${identifier}' was not found.`,
    400,
  );
export const requestTokenNotFound = (token: string) =>
  new AwsError("RequestTokenNotFoundException", `Request with token ${token} was not found.`, 400);
