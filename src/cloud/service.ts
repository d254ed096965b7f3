/**
 * The seam between the local cloud and the wire protocols. A service is a map from AWS operation
 * name (as in the service's API model, e.g. "CreateSchemaMapping") to a handler that takes the
 * operation's input shape and returns its output shape, member names exactly as the model spells
 * them. Handlers throw AwsError. serve only translates HTTP <-> these calls; tests call them in-process.
 */
export interface RequestContext {
  accountId: string;
  region: string;
  /** Access key id or AMC client id of the caller; never a secret. */
  principal?: string;
  requestId: string;
}

// biome-ignore lint/suspicious/noExplicitAny: inputs and outputs are the API models' shapes, validated by each operation with its own zod schema
export type Operation = (input: Record<string, any>, ctx: RequestContext) => Promise<Record<string, any>>;

export interface AwsService {
  /** SigV4 signing name: "s3", "glue", "iam", "entityresolution", "cleanrooms", "cloudcontrolapi"; "amc" for the AMC admin API. */
  readonly signingName: string;
  readonly operations: Readonly<Record<string, Operation>>;
}

export const LOCAL_ACCOUNT_ID = "000000000000";
export const LOCAL_REGION = "us-east-1";
