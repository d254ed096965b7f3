import { resolve } from "node:path";
import { homeDir } from "../config.ts";
import { type Amc, type AmcRoute, createAmc } from "./amc/index.ts";
import { createCleanRooms } from "./clean-rooms/index.ts";
import { type CloudControl, createCloudControl } from "./cloudcontrol/index.ts";
import type { CloudDeps } from "./deps.ts";
import { createEntityResolution } from "./entity-resolution/index.ts";
import { createGlue } from "./glue/index.ts";
import { createIam } from "./iam/index.ts";
import type { ResourceProvider } from "./provider.ts";
import { createS3 } from "./s3/index.ts";
import { type AwsService, LOCAL_ACCOUNT_ID, LOCAL_REGION } from "./service.ts";
import { openStore } from "./store/index.ts";
import type { Store } from "./store.ts";

export { AwsError } from "./aws-error.ts";
export type { CloudDeps } from "./deps.ts";
export type { AwsService, Operation, RequestContext } from "./service.ts";
export { LOCAL_ACCOUNT_ID, LOCAL_REGION } from "./service.ts";
export { StoreInUseError } from "./store/index.ts";
export type { Store } from "./store.ts";

export interface LocalCloudOptions {
  /** Home directory of the local cloud. @default IDBRIDGE_HOME, else ".idbridge" in the current directory */
  home?: string;
  /** @default "000000000000" */
  accountId?: string;
  /** @default "us-east-1" */
  region?: string;
}

interface Lifecycle {
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

/**
 * The embedded local cloud: one durable store under `home` and the services that keep their state
 * in it — S3, Glue, IAM, Entity Resolution, Clean Rooms, Cloud Control over all their types, and
 * the AMC admin API. In-process callers use `services[signingName].operations`; `idbridge serve`
 * puts the same services behind AWS's wire protocols.
 */
export class LocalCloud {
  private closed = false;

  private constructor(
    readonly home: string,
    readonly store: Store,
    readonly services: Readonly<Record<string, AwsService>>,
    readonly amc: AwsService,
    readonly amcRoutes: readonly AmcRoute[],
    readonly deps: CloudDeps,
    private readonly cloudControl: CloudControl,
    private readonly lifecycles: Lifecycle[],
  ) {}

  /** Opens (creating if needed) the local cloud at options.home; fails with StoreInUseError if another process has it. */
  static async open(options: LocalCloudOptions = {}): Promise<LocalCloud> {
    const home = resolve(homeDir(options.home));
    const accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
    const region = options.region ?? LOCAL_REGION;
    const store = await openStore(home);
    const started: Lifecycle[] = [];
    try {
      const s3 = createS3(store);
      const glue = createGlue(store);
      const iam = createIam(store, accountId);
      const deps = cloudDeps({ store, accountId, region, home, s3, glue, iam });
      const entityResolution = await createEntityResolution(deps);
      const cleanRooms = await createCleanRooms(deps);
      const amc: Amc = await createAmc(deps);
      const cloudControl = createCloudControl(store, [
        ...s3.providers,
        ...glue.providers,
        ...iam.providers,
        ...entityResolution.providers,
        ...cleanRooms.providers,
        ...((amc as { providers?: ResourceProvider[] }).providers ?? []),
      ]);
      const services: Record<string, AwsService> = {
        s3: s3.service,
        glue: glue.service,
        iam: iam.service,
        entityresolution: entityResolution.service,
        cleanrooms: cleanRooms.service,
        cloudcontrolapi: cloudControl.service,
      };
      for (const part of [entityResolution, cleanRooms, amc, cloudControl] as Lifecycle[]) {
        await part.start?.();
        started.push(part);
      }
      return new LocalCloud(
        home,
        store,
        services,
        amc.service,
        (amc as { routes?: AmcRoute[] }).routes ?? [],
        deps,
        cloudControl,
        started,
      );
    } catch (error) {
      for (const part of started.reverse()) await part.stop?.().catch(() => undefined);
      await store.close();
      throw error;
    }
  }

  /** Resolves when no Cloud Control request is running (tests wait on it instead of polling). */
  idle(): Promise<void> {
    return this.cloudControl.idle();
  }

  /** Stops background work (running requests finish first), then closes the store and releases the home. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      for (const part of [...this.lifecycles].reverse()) await part.stop?.();
    } finally {
      await this.store.close();
    }
  }
}

/** CloudDeps from the core services (what Entity Resolution, Clean Rooms and AMC build on). */
export function cloudDeps(parts: {
  store: Store;
  accountId: string;
  region: string;
  home: string;
  s3: ReturnType<typeof createS3>;
  glue: ReturnType<typeof createGlue>;
  iam: ReturnType<typeof createIam>;
}): CloudDeps {
  const { store, accountId, region, home, s3, glue, iam } = parts;
  return {
    store,
    accountId,
    region,
    home,
    s3: {
      listObjectFiles: (uri) => s3.listObjectFiles(uri),
      listObjectsWithFiles: (uri) => s3.listObjectsWithFiles(uri),
      putObjectFromFile: (uri, file) => s3.putObjectFromFile(uri, file),
    },
    glue: { getTable: (db, table) => glue.getTable(db, table) },
    iam: { assertRoleAllows: (...args) => iam.assertRoleAllows(...args) },
  };
}
