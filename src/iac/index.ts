import { app } from "./app.ts";

/**
 * Infrastructure as code for the AMC identity route, in Alchemy's model:
 *
 *   import { idbridge } from "idbridge";
 *   import AWS from "idbridge/aws/control";
 *   const app = await idbridge.app("amc-identity", { stage: "dev" });
 *   const bucket = await AWS.S3.Bucket("data", { BucketName: "…" });
 *   await app.finalize();
 */
export const idbridge = { app };

export { amcMembershipId } from "./amc-membership.ts";
export { App, type AppOptions, type FinalizeResult, type Phase, UNKNOWN } from "./app.ts";
export { default as AWS } from "./aws/control.ts";
export { type AwsBackendOptions, awsPort } from "./backends/aws.ts";
export { type LocalCloudLike, localPort, openLocalPort } from "./backends/local.ts";
export type { Action, DriftReport, ResourceReport } from "./engine.ts";
export { ResourceConflictError } from "./engine.ts";
export { formatDrift, formatResources } from "./format.ts";
export { StateLockedError } from "./lock.ts";
export { CloudControlCallError, type CloudControlPort } from "./port.ts";
export { type PreparedTableProps, readPrepared, schemaMappingProps } from "./prepared.ts";
export type { ResourceFunction, ResourceOptions } from "./resource.ts";
export { runStack, StackError } from "./run-stack.ts";
export { starterStack } from "./starter-stack.ts";
export { PropsValidationError } from "./validate.ts";
export { OperationFailedError, WaitTimeoutError } from "./wait.ts";
