import type {
  CreateResourceInput,
  DeleteResourceInput,
  GetResourceInput,
  GetResourceRequestStatusInput,
  ListResourcesInput,
  UpdateResourceInput,
} from "@aws-sdk/client-cloudcontrol";

/** The ProgressEvent members iac reads, with EventTime/RetryAfter left out (their wire types differ per backend). */
export interface ProgressEvent {
  TypeName?: string;
  Identifier?: string;
  RequestToken?: string;
  Operation?: string;
  OperationStatus?: string;
  ResourceModel?: string;
  StatusMessage?: string;
  ErrorCode?: string;
}

export interface ResourceDescription {
  Identifier?: string;
  Properties?: string;
}

/**
 * The six Cloud Control calls iac makes, shaped like the SDK's commands (same input and output
 * members), so the local cloud and AWS sit behind one code path. Implementations throw
 * CloudControlCallError for the API's own exceptions (e.g. ResourceNotFoundException).
 */
export interface CloudControlPort {
  /** "local" or "aws", for messages. */
  readonly backend: string;
  createResource(input: CreateResourceInput): Promise<{ ProgressEvent?: ProgressEvent }>;
  getResource(
    input: GetResourceInput,
  ): Promise<{ TypeName?: string; ResourceDescription?: ResourceDescription }>;
  updateResource(input: UpdateResourceInput): Promise<{ ProgressEvent?: ProgressEvent }>;
  deleteResource(input: DeleteResourceInput): Promise<{ ProgressEvent?: ProgressEvent }>;
  getResourceRequestStatus(input: GetResourceRequestStatusInput): Promise<{ ProgressEvent?: ProgressEvent }>;
  listResources(
    input: ListResourcesInput,
  ): Promise<{ ResourceDescriptions?: ResourceDescription[]; NextToken?: string }>;
  close(): Promise<void>;
}

/** A Cloud Control API exception (thrown by the call itself, not reported in a ProgressEvent). */
export class CloudControlCallError extends Error {
  override readonly name = "CloudControlCallError";
  constructor(
    /** The API's exception name, e.g. "ResourceNotFoundException", "ClientTokenConflictException". */
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export const isNotFound = (error: unknown): boolean =>
  error instanceof CloudControlCallError && error.code === "ResourceNotFoundException";
