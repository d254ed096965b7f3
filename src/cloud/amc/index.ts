import { createCleanRooms } from "../clean-rooms/index.ts";
import type { CloudDeps } from "../deps.ts";
import { createEntityResolution } from "../entity-resolution/index.ts";
import { LOCAL_AMC } from "../local-amc.ts";
import type { ResourceProvider } from "../provider.ts";
import type { AwsService } from "../service.ts";
import { type AmcGraphOptions, ensureInstance, graphOptions, useGraphFile } from "./instance.ts";
import { AMC_REGION } from "./limits.ts";
import { amcOperations } from "./operations.ts";

export { LOCAL_AMC } from "../local-amc.ts";
export type { AmcGraphOptions } from "./instance.ts";
export { AMC_REGION, MAX_TABLES_PER_INSTANCE, REFRESH_INTERVAL_MS } from "./limits.ts";

/** One AMC admin API route: serve matches method + path template ("{name}" segments become input members). */
export interface AmcRoute {
  method: "GET" | "POST" | "DELETE";
  path: string;
  operation: string;
}

const base = "/amc/instances/{instanceId}/collaboration";
const table = `${base}/idmappingtables/{idMappingTableId}`;

/**
 * The AMC admin API's collaboration routes (Amazon Ads' AMC guide "Bring identity data into the collaboration
 * instance"). Input of each operation: the JSON body's
 * members, the query parameters and the path labels; serve checks the bearer token and the
 * Amazon-Advertising-API-* headers before it calls the operation.
 */
export const routes: AmcRoute[] = [
  { method: "GET", path: base, operation: "getCollaboration" },
  { method: "POST", path: `${base}/idnamespaces/list`, operation: "listCollaborationIdNamespaces" },
  { method: "POST", path: `${base}/idmappingtables`, operation: "createCollaborationIdMappingTable" },
  { method: "GET", path: `${base}/idmappingtables`, operation: "listCollaborationIdMappingTables" },
  { method: "GET", path: table, operation: "getCollaborationIdMappingTable" },
  { method: "DELETE", path: table, operation: "deleteCollaborationIdMappingTable" },
  { method: "POST", path: `${table}/refresh`, operation: "refreshCollaborationIdMappingTable" },
  { method: "GET", path: `${table}/jobs`, operation: "listCollaborationIdMappingJobs" },
  { method: "GET", path: `${table}/jobs/{jobId}`, operation: "getCollaborationIdMappingJob" },
  { method: "GET", path: `${base}/trackers/{trackingId}`, operation: "getCollaborationJobTracker" },
];

export interface AmcOptions extends AmcGraphOptions {
  /** The clock the 14-day refresh limit is measured on. @default Date.now */
  now?: () => number;
}

export interface Amc {
  service: AwsService;
  routes: AmcRoute[];
  providers: ResourceProvider[];
  /** Creates the built-in AMC collaboration, memberships and TARGET namespace if they are not there yet. */
  start(): Promise<void>;
  stop?(): Promise<void>;
}

/**
 * The AMC admin API (signing name "amc") over the local Clean Rooms and Entity Resolution, with a
 * built-in "Amazon Marketing Cloud" collaboration whose TARGET namespace is a synthetic Amazon
 * identity graph. The graph (options.people/seed, or env IDBRIDGE_AMC_GRAPH_PEOPLE /
 * IDBRIDGE_AMC_GRAPH_SEED; default 20,000 people, seed 42) is generated on the first ID mapping
 * job, unless loadAmazonGraph() supplied one.
 */
export async function createAmc(deps: CloudDeps, options: AmcOptions = {}): Promise<Amc> {
  const er = await createEntityResolution(deps);
  const cr = await createCleanRooms(deps);
  const operations = amcOperations({
    deps,
    er,
    cr,
    graph: graphOptions(options),
    now: options.now ?? Date.now,
  });
  return {
    service: { signingName: "amc", operations },
    routes,
    providers: [],
    async start() {
      if (deps.region !== AMC_REGION) return;
      await ensureInstance(deps, er, cr, LOCAL_AMC.instanceId);
    },
  };
}

/**
 * Makes `graph.targetFile` (synth's graph.parquet) the data of the AMC instance's TARGET namespace,
 * so a demo can match a CRM against the very graph it was synthesized with.
 */
export async function loadAmazonGraph(
  deps: CloudDeps,
  graph: { targetFile: string; people?: number; seed?: number },
): Promise<void> {
  const er = await createEntityResolution(deps);
  const cr = await createCleanRooms(deps);
  const instance = await ensureInstance(deps, er, cr, LOCAL_AMC.instanceId);
  await useGraphFile(deps, er, instance, graph.targetFile, { people: graph.people, seed: graph.seed });
}
