export { AmcClient, type AmcClientOptions, type AmcCredentials } from "./client.ts";
export { AMC_ENV, AmcConfigError, type AmcConnection, connectAmc, credentialsFromEnv } from "./connect.ts";
export { AmcApiError } from "./errors.ts";
export type { Collaboration, CreateTableResponse, IdMappingJob, IdMappingTable } from "./types.ts";
