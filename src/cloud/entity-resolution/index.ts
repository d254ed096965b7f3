import type { ResourceProvider } from "../cloudcontrol/provider.ts";
import type { CloudDeps } from "../deps.ts";
import type { AwsService } from "../service.ts";

export interface EntityResolution {
  service: AwsService;
  providers: ResourceProvider[];
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

/** The Entity Resolution service (signing name "entityresolution"). Placeholder: operations land next. */
export async function createEntityResolution(_deps: CloudDeps): Promise<EntityResolution> {
  return { service: { signingName: "entityresolution", operations: {} }, providers: [] };
}
