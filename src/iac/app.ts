import { resolve } from "node:path";
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from "../cloud/service.ts";
import { awsRegion, homeDir, setting } from "../config.ts";
import { resourceTypes } from "../schemas/index.ts";
import type { ResourceType } from "../schemas/resource-type.ts";
import { type AwsBackendOptions, awsPort } from "./backends/aws.ts";
import { type LocalCloudLike, localPort, openLocal } from "./backends/local.ts";
import {
  applyResource,
  type DriftReport,
  destroyResource,
  driftResource,
  type EngineContext,
  planResource,
  type ResourceReport,
} from "./engine.ts";
import { lockState } from "./lock.ts";
import { awsObjects, fileSha256, localObjects, type ObjectPort } from "./objects.ts";
import type { CloudControlPort } from "./port.ts";
import { type ResourceState, StateStore } from "./state.ts";
import { type WaitOptions, waitDefaults } from "./wait.ts";

/**
 * up: apply; plan: show what up would do, change nothing; drift: compare state with the live
 * resources; destroy: delete everything this app and stage created.
 */
export type Phase = "up" | "plan" | "drift" | "destroy";

export interface AppOptions {
  /** Separates copies of the same app (dev, prod, a branch). @default IDBRIDGE_STAGE, else "dev" */
  stage?: string;
  /** Where Cloud Control calls go. @default "local" (the embedded local cloud, in-process) */
  backend?: "local" | "aws";
  /** Directory of the local cloud and of iac state (`<home>/state/<app>/<stage>/`). @default ".idbridge" */
  home?: string;
  /** aws backend: Cloud Control endpoint, e.g. `idbridge serve`'s URL. @default the SDK's resolution */
  endpoint?: string;
  /** aws backend. @default process.env.AWS_REGION ?? "us-east-1" */
  region?: string;
  /** aws backend. @default the SDK's standard credential chain */
  credentials?: AwsBackendOptions["credentials"];
  /** local backend: an already open local cloud to use instead of opening `home` (demo, tests). */
  cloud?: LocalCloudLike;
  /**
   * The AWS account the stack builds ARNs with (Glue table ARNs, policy resources).
   * @default "000000000000" on the local cloud; process.env.AWS_ACCOUNT_ID on aws
   */
  accountId?: string;
  /** @default "up", or what `idbridge plan|drift|destroy <stack>` asks for */
  phase?: Phase;
  /** Progress lines (one per step). @default to stderr */
  log?: (line: string) => void;
  /** Polling of Cloud Control requests. @default waitDefaults(backend) */
  wait?: Partial<WaitOptions>;
}

export interface FinalizeResult {
  app: string;
  stage: string;
  phase: Phase;
  /** up/destroy: what was done; plan: what would be done. Orphans appear as "delete". */
  resources: ResourceReport[];
  /** drift only. */
  drift: DriftReport[];
}

/** Set by the CLI runner so `idbridge plan stack.ts` runs an unchanged stack file in plan mode. */
export interface RunnerHooks {
  phase: Phase;
  apps: App[];
  /** Command-line flags (--stage, --backend, --endpoint, --home): they win over the program's options. */
  overrides?: Pick<AppOptions, "stage" | "backend" | "endpoint" | "home" | "log" | "cloud" | "wait">;
}
const RUNNER = Symbol.for("idbridge.iac.runner");
export const runnerHooks = (): RunnerHooks | undefined =>
  (globalThis as Record<symbol, unknown>)[RUNNER] as never;
export function setRunnerHooks(hooks: RunnerHooks | undefined): void {
  (globalThis as Record<symbol, unknown>)[RUNNER] = hooks;
}

let current: App | undefined;

/** The app resources attach to: the last one opened and not yet finalized. */
export function currentApp(): App {
  if (!current)
    throw new Error('no idbridge app is open: call `await idbridge.app("name")` before declaring resources');
  return current;
}

/** Marks values only known after `up`, so plan can go on with resources that reference them. */
export const UNKNOWN = "(known after up)";
export const isUnknown = (value: unknown): boolean => typeof value === "string" && value.includes(UNKNOWN);

export class App {
  readonly resources: ResourceReport[] = [];
  private readonly declared = new Set<string>();
  /** "bucket/key" of every file uploadFile was called for in this run. */
  private readonly uploaded = new Set<string>();
  private finalized = false;
  private released = false;
  /** The result of finalize(), once it ran. */
  lastResult: FinalizeResult | undefined;

  private constructor(
    readonly name: string,
    readonly stage: string,
    private currentPhase: Phase,
    private readonly ctx: EngineContext,
    private readonly releaseLock: () => Promise<void>,
    private readonly account: string | undefined,
    /** Region resources are created in. */
    readonly region: string,
    private readonly objectPort: () => Promise<ObjectPort>,
  ) {}

  static async open(name: string, programOptions: AppOptions = {}): Promise<App> {
    const hooks = runnerHooks();
    const options = { ...programOptions, ...hooks?.overrides };
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
      throw new Error(
        `app name "${name}" must start with a letter or digit and use only letters, digits, '.', '_', '-'`,
      );
    }
    const stage = options.stage ?? setting("stage");
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(stage)) {
      throw new Error(
        `stage "${stage}" must start with a letter or digit and use only letters, digits, '.', '_', '-'`,
      );
    }
    const phase = options.phase ?? hooks?.phase ?? "up";
    const home = resolve(homeDir(options.home));
    const store = new StateStore(home, name, stage);
    const mutates = phase === "up" || phase === "destroy";
    const release = mutates ? await lockState(store.dir) : async () => {};
    let backend: Backend;
    try {
      backend = await openBackend(options, home);
    } catch (error) {
      await release();
      throw error;
    }
    const { port } = backend;
    let objects: Promise<ObjectPort> | undefined;
    const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    const wait = { ...waitDefaults(port.backend), ...options.wait };
    const account =
      options.accountId ??
      ((options.backend ?? "local") === "local" ? LOCAL_ACCOUNT_ID : process.env.AWS_ACCOUNT_ID);
    const app = new App(
      name,
      stage,
      phase,
      { port, store, wait, log },
      async () => {
        await port.close();
        if (objects) await (await objects).close();
        await release();
      },
      account,
      (options.backend ?? "local") === "local" ? LOCAL_REGION : awsRegion(options.region),
      () => {
        objects ??= backend.objects();
        return objects;
      },
    );
    hooks?.apps.push(app);
    current = app;
    return app;
  }

  get phase(): Phase {
    return this.currentPhase;
  }

  get backend(): string {
    return this.ctx.port.backend;
  }

  /**
   * Puts a local file into a bucket (the prepared Parquet files, under their Glue table's folder).
   * Skipped when the object already holds the same bytes (SHA-256 in its metadata); on plan, drift
   * and destroy nothing is sent. Returns whether the file was sent.
   */
  async uploadFile(input: { Bucket: string; Key: string; file: string }): Promise<boolean> {
    this.uploaded.add(`${input.Bucket}/${input.Key}`);
    if (this.phase !== "up") return false;
    const sha256 = await fileSha256(input.file);
    const objects = await this.objectPort();
    const record = { Bucket: input.Bucket, Key: input.Key, sha256 };
    const recorded = this.ctx.store
      .uploads()
      .some((u) => u.Bucket === input.Bucket && u.Key === input.Key && u.sha256 === sha256);
    if ((await objects.sha256Of(input.Bucket, input.Key)) === sha256) {
      // Already there (e.g. uploaded before a crash): make sure it is recorded as this app's.
      if (!recorded) await this.ctx.store.writeUpload(record);
      return false;
    }
    this.ctx.log(`  uploading ${input.file} to s3://${input.Bucket}/${input.Key}`);
    await objects.put(input.Bucket, input.Key, input.file, sha256);
    await this.ctx.store.writeUpload(record);
    return true;
  }

  /** Deletes the objects this app uploaded and no longer uploads (all of them on destroy). */
  private async deleteStaleUploads(): Promise<void> {
    const stale = this.ctx.store
      .uploads()
      .filter((u) => this.phase === "destroy" || !this.uploaded.has(`${u.Bucket}/${u.Key}`));
    if (stale.length === 0) return;
    const objects = await this.objectPort();
    for (const upload of stale) {
      this.ctx.log(`  deleting s3://${upload.Bucket}/${upload.Key} (uploaded by this app)`);
      await objects.delete(upload.Bucket, upload.Key);
      this.ctx.store.removeUpload(upload);
    }
  }

  /** Writes a progress line where the app's own progress goes (stderr by default; nowhere under --json or in the demo). */
  log(line: string): void {
    this.ctx.log(line);
  }

  /** The account ARNs are built with; on aws set AWS_ACCOUNT_ID or pass accountId. */
  get accountId(): string {
    if (!this.account) {
      throw new Error(
        "the aws backend needs the account id for ARNs: set AWS_ACCOUNT_ID or pass accountId to idbridge.app()",
      );
    }
    return this.account;
  }

  /** Existing resources of a type, read through Cloud Control (e.g. to find the AMC membership). */
  async listResources(
    typeName: string,
    resourceModel?: Record<string, unknown>,
  ): Promise<Array<{ identifier: string; properties: Record<string, unknown> }>> {
    const out: Array<{ identifier: string; properties: Record<string, unknown> }> = [];
    let token: string | undefined;
    do {
      const page = await this.ctx.port.listResources({
        TypeName: typeName,
        ...(resourceModel ? { ResourceModel: JSON.stringify(resourceModel) } : {}),
        ...(token ? { NextToken: token } : {}),
      });
      for (const description of page.ResourceDescriptions ?? []) {
        out.push({
          identifier: description.Identifier ?? "",
          properties: JSON.parse(description.Properties ?? "{}") as Record<string, unknown>,
        });
      }
      token = page.NextToken;
    } while (token);
    return out;
  }

  get stateDir(): string {
    return this.ctx.store.dir;
  }

  /** What state holds for a resource (for tests and tools). */
  state(id: string): ResourceState | undefined {
    return this.ctx.store.read(id);
  }

  /** Called by every resource function: applies, plans or just records the resource, per phase. */
  async declare(
    type: ResourceType,
    id: string,
    desired: Record<string, unknown>,
    adopt: boolean,
  ): Promise<Record<string, unknown>> {
    if (this.finalized)
      throw new Error(`app "${this.name}" is finalized; declare resources before app.finalize()`);
    if (this.declared.has(id)) throw new Error(`resource id "${id}" is declared twice in app "${this.name}"`);
    this.declared.add(id);
    const recorded = this.ctx.store.read(id);
    if (this.phase === "up") {
      const order = recorded?.order ?? this.nextOrder();
      const { state, report } = await applyResource(this.ctx, type, id, desired, { adopt, order });
      this.resources.push(report);
      return { ...desired, ...state.attributes };
    }
    if (this.phase === "plan") {
      const report = planResource(type, id, recorded, desired);
      this.resources.push(report);
      const known = report.action === "noop" || report.action === "update" ? recorded?.attributes : undefined;
      return { ...desired, ...(known ?? placeholders(type, id, desired)) };
    }
    return { ...desired, ...(recorded?.attributes ?? placeholders(type, id, desired)) };
  }

  private nextOrder(): number {
    const orders = this.ctx.store.list().map((state) => state.order);
    return Math.max(-1, ...orders, this.declared.size) + 1;
  }

  /**
   * Ends the program: on up, deletes resources in state that the program no longer declares
   * (orphans); on destroy, deletes everything; on plan/drift, computes the report. Releases the lock.
   */
  async finalize(): Promise<FinalizeResult> {
    if (this.finalized) throw new Error(`app "${this.name}" is already finalized`);
    this.finalized = true;
    if (current === this) current = undefined;
    const drift: DriftReport[] = [];
    try {
      const recorded = this.ctx.store.list().sort((a, b) => b.order - a.order);
      if (this.phase === "drift") {
        for (const state of recorded.reverse())
          drift.push(await driftResource(this.ctx, typeOf(state), state));
      } else {
        // Uploaded objects go before resources, so their buckets can be deleted.
        if (this.phase !== "plan") await this.deleteStaleUploads();
        const doomed = this.phase === "destroy" ? recorded : recorded.filter((s) => !this.declared.has(s.id));
        for (const state of doomed) {
          if (this.phase === "plan") {
            this.resources.push({
              id: state.id,
              typeName: state.typeName,
              action: "delete",
              changes: [],
              ...(state.identifier ? { identifier: state.identifier } : {}),
            });
          } else {
            this.resources.push(await destroyResource(this.ctx, typeOf(state), state));
          }
        }
      }
    } finally {
      await this.release();
    }
    this.lastResult = {
      app: this.name,
      stage: this.stage,
      phase: this.phase,
      resources: this.resources,
      drift,
    };
    return this.lastResult;
  }

  /** Deletes everything this app and stage created (an app opened for up may call it instead of finalize). */
  async destroy(): Promise<FinalizeResult> {
    if (this.currentPhase !== "up" && this.currentPhase !== "destroy") {
      throw new Error(
        `app "${this.name}" was opened for ${this.currentPhase}; destroy needs phase up or destroy`,
      );
    }
    this.currentPhase = "destroy";
    // The result lists what destroy did, not the declarations made before it.
    this.resources.length = 0;
    return this.finalize();
  }

  /** Releases the lock and the backend without touching anything (after a failed program). */
  async abort(): Promise<void> {
    this.finalized = true;
    if (current === this) current = undefined;
    await this.release();
  }

  private async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.releaseLock();
  }

  get isFinalized(): boolean {
    return this.finalized;
  }
}

function typeOf(state: ResourceState): ResourceType {
  const type = resourceTypes[state.typeName];
  if (!type) throw new Error(`state of "${state.id}" names an unknown resource type ${state.typeName}`);
  return type;
}

function placeholders(
  type: ResourceType,
  id: string,
  desired: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const entry of [...type.readOnly, ...type.primaryIdentifier]) {
    if (entry.replace(/^\/?properties\//, "").includes("/")) continue; // a nested read-only member
    const key = entry.replace(/^\/?properties\//, "");
    if (desired[key] === undefined) out[key] = `${UNKNOWN}: ${id}.${key}`;
  }
  return out;
}

interface Backend {
  port: CloudControlPort;
  /** S3 for the files a stack uploads, opened on first use. */
  objects: () => Promise<ObjectPort>;
}

async function openBackend(options: AppOptions, home: string): Promise<Backend> {
  if ((options.backend ?? "local") === "aws") {
    const aws = {
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.region ? { region: options.region } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
    };
    return { port: awsPort(aws), objects: () => awsObjects(aws) };
  }
  if (options.cloud) {
    const cloud = options.cloud;
    return { port: localPort(cloud), objects: async () => localObjects(cloud) };
  }
  return openLocal(home);
}

/** Opens an app: `const app = await idbridge.app("amc-identity", { stage: "dev" })`. */
export const app = (name: string, options?: AppOptions): Promise<App> => App.open(name, options);
