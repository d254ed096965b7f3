import type { ResourceProvider } from "../cloudcontrol/provider.ts";
import type { CloudDeps } from "../deps.ts";
import type { AwsService } from "../service.ts";

/** One AMC admin API route: serve matches method + path template and calls service.operations[operation]. */
export interface AmcRoute {
  method: "GET" | "POST" | "DELETE";
  /** Path template, "{name}" segments become input members, e.g. "/amc/instances/{instanceId}/collaboration". */
  path: string;
  operation: string;
}

export interface Amc {
  service: AwsService;
  routes: AmcRoute[];
  providers: ResourceProvider[];
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

/** The AMC admin API (signing name "amc"). Placeholder: operations land next. */
export async function createAmc(_deps: CloudDeps): Promise<Amc> {
  return { service: { signingName: "amc", operations: {} }, routes: [], providers: [] };
}
