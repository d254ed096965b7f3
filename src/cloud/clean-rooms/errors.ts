import { AwsError } from "../aws-error.ts";

/** Clean Rooms' errors carry the resource they are about (see its API model). */
export const crNotFound = (resourceType: string, resourceId: string, message?: string) =>
  new AwsError("ResourceNotFoundException", message ?? `${resourceType} ${resourceId} not found`, 404, {
    resourceId,
    resourceType,
  });

export const crConflict = (
  resourceType: string,
  resourceId: string,
  reason: "ALREADY_EXISTS" | "SUBRESOURCES_EXIST" | "INVALID_STATE",
  message: string,
) => new AwsError("ConflictException", message, 409, { resourceId, resourceType, reason });

export const crValidation = (
  message: string,
  reason: "FIELD_VALIDATION_FAILED" | "INVALID_CONFIGURATION" = "FIELD_VALIDATION_FAILED",
) => new AwsError("ValidationException", message, 400, { reason });

export const crAccessDenied = (message: string) =>
  new AwsError("AccessDeniedException", message, 403, { reason: "INSUFFICIENT_PERMISSIONS" });
