import type { ResourceProvider } from "../cloudcontrol/provider.ts";
import type { CloudDeps } from "../deps.ts";
import type { AwsService } from "../service.ts";

export interface CleanRooms {
  service: AwsService;
  providers: ResourceProvider[];
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

/** The Clean Rooms service (signing name "cleanrooms"). Placeholder: operations land next. */
export async function createCleanRooms(_deps: CloudDeps): Promise<CleanRooms> {
  return { service: { signingName: "cleanrooms", operations: {} }, providers: [] };
}
