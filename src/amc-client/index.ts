export { AMC_ENV, AmcClient, type AmcClientOptions, type AmcCredentials } from "./client.ts";
export { type AmcConnection, connectAmc, credentialsFromEnv } from "./connect.ts";
export { AmcApiError, AmcConfigError } from "./errors.ts";
export type { Collaboration, CreateTableResponse, IdMappingJob, IdMappingTable } from "./types.ts";
