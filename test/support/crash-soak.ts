/**
 * kill -9 of `idbridge serve` under load, and the check that nothing acknowledged was lost or
 * contradicted. Used by src/serve/crash.test.ts (a few kills, Cloud Control creates) and
 * bench/crash-soak.ts (many kills, mixed writes).
 *
 * A generation starts the server over one home, runs writers against it through the official SDK
 * clients (no retries: a request cut by the kill is "in flight", not acknowledged), and kills it at
 * a random instant. The next generation restarts the server and, before writing again, checks:
 * - every Cloud Control request that was acknowledged (CreateResource/UpdateResource/DeleteResource
 *   returned a RequestToken) ends SUCCESS or FAILED; a SUCCESS create's identifier exists through
 *   Cloud Control's GetResource and the service's own Get, and an update's or delete's effect holds;
 * - the service's own listings hold exactly the resources SUCCESS creates made and SUCCESS deletes
 *   did not remove (no orphan from a FAILED create, none lost);
 * - every S3 object, Glue database and IAM role written directly is in the state of its last
 *   acknowledged write, or of the write that was in flight at the kill.
 * A request cut by the kill is sent again after the restart with the same ClientToken, as an SDK
 * retry would, so it is then acknowledged exactly once.
 */
import {
  CleanRoomsClient,
  GetCollaborationCommand,
  ListCollaborationsCommand,
} from "@aws-sdk/client-cleanrooms";
import {
  CloudControlClient,
  CreateResourceCommand,
  DeleteResourceCommand,
  GetResourceCommand,
  GetResourceRequestStatusCommand,
  ListResourceRequestsCommand,
  type ProgressEvent,
  UpdateResourceCommand,
} from "@aws-sdk/client-cloudcontrol";
import {
  EntityResolutionClient,
  GetSchemaMappingCommand,
  ListSchemaMappingsCommand,
} from "@aws-sdk/client-entityresolution";
import {
  CreateDatabaseCommand,
  DeleteDatabaseCommand,
  GetDatabaseCommand,
  GetDatabasesCommand,
  GlueClient,
  UpdateDatabaseCommand,
} from "@aws-sdk/client-glue";
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolePoliciesCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { LOCAL_ACCOUNT_ID } from "../../src/cloud/service.ts";
import { killHard, type ServeProcess, startServe } from "./serve-process.ts";

export type Workload = "cloudcontrol-creates" | "mixed";

export interface SoakOptions {
  home: string;
  kills: number;
  workload: Workload;
  seed?: number;
  /** Stop starting new generations after this many ms (the last one still gets its check). */
  timeLimitMs?: number;
  /** Writes run this long (uniformly random in [min, max] ms) before the kill. */
  killAfterMs?: [number, number];
  log?: (line: string) => void;
}

export interface SoakReport {
  kills: number;
  seed: number;
  seconds: number;
  /** Acknowledged writes by kind (Cloud Control ones by operation and final status). */
  acknowledged: Record<string, number>;
  /** Requests cut by a kill (sent, not answered). */
  inFlightAtKill: number;
  /** Cloud Control creates still running when their server was killed, by how they ended after the restart. */
  createsRunningAtKill: Record<string, number>;
  /** Errors answered while the server was up (there should be none). */
  errors: string[];
  lost: string[];
  contradicted: string[];
  orphans: string[];
}

/** mulberry32: a small seeded PRNG, so a failing soak can be replayed with its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const errorName = (error: unknown) => (error as { name?: string }).name ?? String(error);
const TERMINAL = new Set(["SUCCESS", "FAILED", "CANCEL_COMPLETE"]);

interface Clients {
  cc: CloudControlClient;
  s3: S3Client;
  glue: GlueClient;
  iam: IAMClient;
  er: EntityResolutionClient;
  cleanRooms: CleanRoomsClient;
}

function clientsFor(server: ServeProcess): Clients {
  const config = {
    endpoint: server.url,
    region: server.credentials.region,
    credentials: server.credentials,
    // A request cut by the kill must fail, not be retried against a dead or restarted server.
    maxAttempts: 1,
  };
  return {
    cc: new CloudControlClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    glue: new GlueClient(config),
    iam: new IAMClient(config),
    er: new EntityResolutionClient(config),
    cleanRooms: new CleanRoomsClient(config),
  };
}

function destroy(clients: Clients): void {
  for (const client of Object.values(clients)) client.destroy();
}

/** A Cloud Control resource type the soak creates, with the service's own view of it. */
interface TypeCheck {
  typeName: string;
  desired(name: string): Record<string, unknown>;
  /** The service's own read (not Cloud Control's): undefined when it does not exist. */
  get(c: Clients, identifier: string): Promise<Record<string, unknown> | undefined>;
  /** Identifiers of this type the soak made, from the service's own listing. */
  list(c: Clients): Promise<string[]>;
  /** Whether the service's model is the one `desired` asked for (what a lost half-create would miss). */
  whole?(model: Record<string, unknown>, desired: Record<string, unknown>): boolean;
}

const notFound = (names: string[]) => (error: unknown) => {
  if (names.includes(errorName(error))) return undefined;
  throw error;
};

const PREFIX = "soak";
const trust = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { Service: "entityresolution.amazonaws.com" },
      Action: "sts:AssumeRole",
    },
  ],
};
const policy = (resource: string) => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: resource }],
});

async function allGlueDatabases(c: Clients): Promise<string[]> {
  const names: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await c.glue.send(new GetDatabasesCommand({ NextToken }));
    names.push(...(page.DatabaseList ?? []).map((d) => d.Name!));
    NextToken = page.NextToken;
  } while (NextToken);
  return names;
}

async function allRoles(c: Clients): Promise<string[]> {
  const names: string[] = [];
  let Marker: string | undefined;
  do {
    const page = await c.iam.send(new ListRolesCommand({ Marker }));
    names.push(...(page.Roles ?? []).map((r) => r.RoleName!));
    Marker = page.IsTruncated ? page.Marker : undefined;
  } while (Marker);
  return names;
}

const glueDatabase = (prefix: string, named: boolean): TypeCheck => ({
  typeName: "AWS::Glue::Database",
  // examples/stack.ts's shape: CatalogId + DatabaseInput.Name, no DatabaseName.
  desired: (name) => ({
    CatalogId: LOCAL_ACCOUNT_ID,
    ...(named ? { DatabaseName: name } : {}),
    DatabaseInput: { Name: name, Description: `made by ${name}` },
  }),
  get: (c, identifier) =>
    c.glue
      .send(new GetDatabaseCommand({ Name: identifier }))
      .then((out) => ({ ...out.Database }) as Record<string, unknown>, notFound(["EntityNotFoundException"])),
  list: async (c) => (await allGlueDatabases(c)).filter((n) => n.startsWith(prefix)),
});

const TYPES: Record<string, TypeCheck> = {
  glueDatabaseUnnamed: glueDatabase(`${PREFIX}_u_`, false),
  glueDatabaseNamed: glueDatabase(`${PREFIX}_n_`, true),
  bucket: {
    typeName: "AWS::S3::Bucket",
    // No BucketName: Cloud Control generates one (idbridge-…).
    desired: (name) => ({ Tags: [{ Key: "soak", Value: name }] }),
    get: (c, identifier) =>
      c.s3
        .send(new HeadBucketCommand({ Bucket: identifier }))
        .then(() => ({ Name: identifier }), notFound(["NotFound", "NoSuchBucket"])),
    list: async (c) =>
      ((await c.s3.send(new ListBucketsCommand({}))).Buckets ?? [])
        .map((b) => b.Name!)
        .filter((n) => n.startsWith("idbridge-")),
  },
  role: {
    typeName: "AWS::IAM::Role",
    desired: (name) => ({
      RoleName: name,
      AssumeRolePolicyDocument: trust,
      Policies: [0, 1, 2].map((i) => ({
        PolicyName: `p${i}`,
        PolicyDocument: policy(`arn:aws:s3:::${name}/${i}/*`),
      })),
    }),
    get: async (c, identifier) => {
      const role = await c.iam
        .send(new GetRoleCommand({ RoleName: identifier }))
        .catch(notFound(["NoSuchEntityException"]));
      if (!role) return undefined;
      const policies = await c.iam.send(new ListRolePoliciesCommand({ RoleName: identifier }));
      return { RoleName: identifier, PolicyNames: policies.PolicyNames ?? [] };
    },
    list: async (c) => (await allRoles(c)).filter((n) => n.startsWith(`${PREFIX}-r-`)),
    whole: (model) => (model.PolicyNames as string[]).length === 3,
  },
  schemaMapping: {
    typeName: "AWS::EntityResolution::SchemaMapping",
    desired: (name) => ({
      SchemaName: name,
      MappedInputFields: [
        { FieldName: "id", Type: "UNIQUE_ID" },
        { FieldName: "email", Type: "EMAIL_ADDRESS", MatchKey: "Email", Hashed: true },
      ],
    }),
    get: (c, identifier) =>
      c.er
        .send(new GetSchemaMappingCommand({ schemaName: identifier }))
        .then((out) => ({ ...out }) as Record<string, unknown>, notFound(["ResourceNotFoundException"])),
    list: async (c) => {
      const names: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await c.er.send(new ListSchemaMappingsCommand({ nextToken }));
        names.push(...(page.schemaList ?? []).map((s) => s.schemaName!));
        nextToken = page.nextToken;
      } while (nextToken);
      return names.filter((n) => n.startsWith(`${PREFIX}-m-`));
    },
  },
  collaboration: {
    typeName: "AWS::CleanRooms::Collaboration",
    // The service assigns the id: the identifier is known only from the request token.
    desired: (name) => ({
      Name: name,
      Description: "crash soak",
      CreatorDisplayName: "advertiser",
      CreatorMemberAbilities: ["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
      Members: [],
      QueryLogStatus: "DISABLED",
    }),
    get: (c, identifier) =>
      c.cleanRooms
        .send(new GetCollaborationCommand({ collaborationIdentifier: identifier }))
        .then(
          (out) => ({ ...out.collaboration }) as Record<string, unknown>,
          notFound(["ResourceNotFoundException"]),
        ),
    list: async (c) => {
      const ids: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await c.cleanRooms.send(new ListCollaborationsCommand({ nextToken }));
        ids.push(
          ...(page.collaborationList ?? [])
            .filter((s) => s.name?.startsWith(`${PREFIX}-c-`))
            .map((s) => s.id!),
        );
        nextToken = page.nextToken;
      } while (nextToken);
      return ids;
    },
  },
};

/** The resource name the n-th create of a type uses. */
function nameFor(kind: string, n: number): string {
  switch (kind) {
    case "glueDatabaseUnnamed":
      return `${PREFIX}_u_${n}`;
    case "glueDatabaseNamed":
      return `${PREFIX}_n_${n}`;
    case "role":
      return `${PREFIX}-r-${n}`;
    case "schemaMapping":
      return `${PREFIX}-m-${n}`;
    case "collaboration":
      return `${PREFIX}-c-${n}`;
    default:
      return `${PREFIX}-b-${n}`;
  }
}

/** A Cloud Control request the soak sent, acknowledged once it has a RequestToken. */
interface CcRequest {
  kind: string;
  operation: "CREATE" | "UPDATE" | "DELETE";
  clientToken: string;
  input: Record<string, unknown>;
  token?: string;
  /** The final event, once seen. */
  final?: ProgressEvent;
  /** For a lifecycle slot: the Glue description an update sets. */
  description?: string;
}

/** One sequentially-written item (an S3 key, a Glue database, an IAM role's policy): its acknowledged and in-flight states. */
interface Slot<S> {
  name: string;
  acked: S;
  inFlight?: { op: string; after: S };
  writes: number;
}

class Soak {
  readonly random: () => number;
  readonly report: SoakReport;
  private readonly ccRequests: CcRequest[] = [];
  private created = 0;
  private sent = 0;
  /** When the current server was started (a request that ended after it was running at the kill). */
  private restartedAt = new Date(0);
  private readonly s3Slots: Array<Slot<string | null>> = [];
  private readonly glueSlots: Array<Slot<string | null>> = [];
  /** A role's inline policy version ("" = role without the policy, null = no role). */
  private readonly iamSlots: Array<Slot<string | null>> = [];
  /** Cloud Control lifecycle slots: create → update → delete of Glue databases without DatabaseName. */
  private readonly lifecycles: Array<{
    n: number;
    current?: CcRequest;
    name?: string;
    live: boolean;
    description?: string;
  }> = [];
  private alive = false;
  private readonly bucket = `${PREFIX}-objects`;

  constructor(private readonly options: SoakOptions) {
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.random = prng(seed);
    this.report = {
      kills: 0,
      seed,
      seconds: 0,
      acknowledged: {},
      inFlightAtKill: 0,
      createsRunningAtKill: {},
      errors: [],
      lost: [],
      contradicted: [],
      orphans: [],
    };
    if (options.workload === "mixed") {
      for (let i = 0; i < 12; i++) this.s3Slots.push({ name: `k/${i}`, acked: null, writes: 0 });
      for (let i = 0; i < 6; i++) this.glueSlots.push({ name: `${PREFIX}_g_${i}`, acked: null, writes: 0 });
      for (let i = 0; i < 6; i++) this.iamSlots.push({ name: `${PREFIX}-i-${i}`, acked: null, writes: 0 });
      for (let i = 0; i < 3; i++) this.lifecycles.push({ n: 0, live: false });
    }
  }

  /** Records a problem once (the accounting runs after every restart and would repeat it). */
  private note(list: string[], problem: string): void {
    if (!list.includes(problem)) list.push(problem);
  }

  private count(kind: string): void {
    this.report.acknowledged[kind] = (this.report.acknowledged[kind] ?? 0) + 1;
  }

  async run(): Promise<SoakReport> {
    const started = performance.now();
    const { kills, timeLimitMs = Number.POSITIVE_INFINITY, killAfterMs = [150, 900] } = this.options;
    const log = this.options.log ?? (() => {});
    let server = await startServe(this.options.home);
    let clients = clientsFor(server);
    try {
      if (this.options.workload === "mixed") {
        await clients.s3.send(new CreateBucketCommand({ Bucket: this.bucket }));
      }
      for (;;) {
        await this.check(clients);
        const last = this.report.kills >= kills || performance.now() - started > timeLimitMs;
        if (last) break;
        this.alive = true;
        const writers = this.writers(clients);
        await sleep(killAfterMs[0] + this.random() * (killAfterMs[1] - killAfterMs[0]));
        this.alive = false;
        await killHard(server.child);
        this.report.kills++;
        await Promise.all(writers);
        destroy(clients);
        log(
          `kill ${this.report.kills}: ${this.ccRequests.length} Cloud Control requests so far, ${this.inFlight()} in flight at the kill`,
        );
        this.restartedAt = new Date();
        server = await startServe(this.options.home);
        clients = clientsFor(server);
      }
    } finally {
      destroy(clients);
      server.child.kill("SIGTERM");
      await new Promise((r) => (server.child.exitCode !== null ? r(null) : server.child.once("exit", r)));
    }
    this.report.seconds = (performance.now() - started) / 1000;
    return this.report;
  }

  private inFlight(): number {
    const slots = [...this.s3Slots, ...this.glueSlots, ...this.iamSlots].filter((s) => s.inFlight).length;
    return slots + this.ccRequests.filter((r) => !r.token).length;
  }

  /** The writers of one generation; each returns once its server is gone. */
  private writers(c: Clients): Array<Promise<void>> {
    const loop = (step: () => Promise<void>) =>
      (async () => {
        while (this.alive) {
          try {
            await step();
          } catch (error) {
            if (!this.alive) return;
            this.report.errors.push(`${errorName(error)}: ${(error as Error).message}`);
            await sleep(50);
          }
        }
      })();
    const out = [loop(() => this.ccCreate(c)), loop(() => this.ccCreate(c))];
    if (this.options.workload === "mixed") {
      out.push(
        loop(() => this.s3Write(c)),
        loop(() => this.glueWrite(c)),
        loop(() => this.iamWrite(c)),
      );
      for (const slot of this.lifecycles) out.push(loop(() => this.lifecycleStep(c, slot)));
    } else {
      out.push(loop(() => this.ccCreate(c)));
    }
    return out;
  }

  private async sendCc(c: Clients, request: CcRequest): Promise<ProgressEvent> {
    const input = { ...request.input, ClientToken: request.clientToken };
    const out =
      request.operation === "CREATE"
        ? await c.cc.send(new CreateResourceCommand(input as never))
        : request.operation === "UPDATE"
          ? await c.cc.send(new UpdateResourceCommand(input as never))
          : await c.cc.send(new DeleteResourceCommand(input as never));
    request.token = out.ProgressEvent!.RequestToken!;
    return out.ProgressEvent!;
  }

  private async ccCreate(c: Clients): Promise<void> {
    const kinds = Object.keys(TYPES);
    const kind = kinds[Math.floor(this.random() * kinds.length)]!;
    const n = this.created++;
    const desired = TYPES[kind]!.desired(nameFor(kind, n));
    const request = (): CcRequest => ({
      kind,
      operation: "CREATE",
      clientToken: `${PREFIX}-${n}-${this.sent++}`,
      input: { TypeName: TYPES[kind]!.typeName, DesiredState: JSON.stringify(desired) },
    });
    // Now and then two creates of one Glue database at once: only one may own it.
    const twice = kind === "glueDatabaseUnnamed" && this.random() < 0.15;
    const batch = twice ? [request(), request()] : [request()];
    this.ccRequests.push(...batch);
    await Promise.all(batch.map((r) => this.sendCc(c, r)));
  }

  /** Waits for a request to end (across restarts the check does the waiting). */
  private async settle(c: Clients, request: CcRequest): Promise<ProgressEvent | undefined> {
    for (;;) {
      if (!this.alive) return undefined;
      const { ProgressEvent: event } = await c.cc.send(
        new GetResourceRequestStatusCommand({ RequestToken: request.token! }),
      );
      if (TERMINAL.has(event!.OperationStatus!)) return event;
      await sleep(20);
    }
  }

  /** Create, update, then delete Glue databases (no DatabaseName) through Cloud Control, one request at a time. */
  private async lifecycleStep(
    c: Clients,
    slot: { n: number; current?: CcRequest; name?: string; live: boolean; description?: string },
  ): Promise<void> {
    if (!slot.current) {
      const typeName = "AWS::Glue::Database";
      const id = `${this.lifecycles.indexOf(slot)}_${slot.n}`;
      let request: CcRequest;
      if (!slot.live) {
        slot.name = `${PREFIX}_l_${id}`;
        slot.description = `made by ${slot.name}`;
        request = {
          kind: "lifecycle",
          operation: "CREATE",
          clientToken: `${PREFIX}-l-${id}-create`,
          input: {
            TypeName: typeName,
            DesiredState: JSON.stringify(glueDatabase("", false).desired(slot.name)),
          },
        };
      } else if (this.random() < 0.6) {
        const description = `update ${this.ccRequests.length}`;
        request = {
          kind: "lifecycle",
          operation: "UPDATE",
          clientToken: `${PREFIX}-l-${id}-u${this.ccRequests.length}`,
          description,
          input: {
            TypeName: typeName,
            Identifier: slot.name,
            PatchDocument: JSON.stringify([
              { op: "replace", path: "/DatabaseInput/Description", value: description },
            ]),
          },
        };
      } else {
        request = {
          kind: "lifecycle",
          operation: "DELETE",
          clientToken: `${PREFIX}-l-${id}-delete`,
          input: { TypeName: typeName, Identifier: slot.name },
        };
      }
      slot.current = request;
      this.ccRequests.push(request);
    }
    const request = slot.current;
    if (!request.token) await this.sendCc(c, request);
    const event = await this.settle(c, request);
    if (event) await this.finishLifecycle(c, slot, event);
  }

  private async finishLifecycle(
    c: Clients,
    slot: { n: number; current?: CcRequest; name?: string; live: boolean; description?: string },
    event: ProgressEvent,
  ): Promise<void> {
    const request = slot.current!;
    if (!request.final) this.count(`cloudcontrol ${request.operation} ${event.OperationStatus}`);
    request.final = event;
    const what = `lifecycle ${request.operation} ${slot.name} (${request.token})`;
    if (event.OperationStatus !== "SUCCESS") {
      this.note(this.report.contradicted, `${what} ended ${event.OperationStatus}: ${event.StatusMessage}`);
    } else if (request.operation === "CREATE") {
      slot.live = true;
    } else if (request.operation === "UPDATE") {
      slot.description = request.description;
    } else {
      slot.live = false;
      slot.n++;
    }
    slot.current = undefined;
    const db = await TYPES.glueDatabaseUnnamed!.get(c, slot.name!);
    if (Boolean(db) !== slot.live)
      this.note(this.report.contradicted, `${what}: SUCCESS, yet the database ${db ? "exists" : "is gone"}`);
    else if (db && db.Description !== slot.description)
      this.note(
        this.report.contradicted,
        `${what}: description ${db.Description}, expected ${slot.description}`,
      );
  }

  private async s3Write(c: Clients): Promise<void> {
    const slot = this.s3Slots[Math.floor(this.random() * this.s3Slots.length)]!;
    if (slot.inFlight) return;
    const remove = slot.acked !== null && this.random() < 0.3;
    const body = `${slot.name}#${++slot.writes}`;
    slot.inFlight = { op: remove ? "delete" : "put", after: remove ? null : body };
    if (remove) await c.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: slot.name }));
    else await c.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: slot.name, Body: body }));
    this.ack(slot, `s3 ${slot.inFlight.op}`);
  }

  private async glueWrite(c: Clients): Promise<void> {
    const slot = this.glueSlots[Math.floor(this.random() * this.glueSlots.length)]!;
    if (slot.inFlight) return;
    const description = `v${++slot.writes}`;
    if (slot.acked === null) {
      slot.inFlight = { op: "create", after: description };
      await c.glue.send(
        new CreateDatabaseCommand({ DatabaseInput: { Name: slot.name, Description: description } }),
      );
    } else if (this.random() < 0.7) {
      slot.inFlight = { op: "update", after: description };
      await c.glue.send(
        new UpdateDatabaseCommand({
          Name: slot.name,
          DatabaseInput: { Name: slot.name, Description: description },
        }),
      );
    } else {
      slot.inFlight = { op: "delete", after: null };
      await c.glue.send(new DeleteDatabaseCommand({ Name: slot.name }));
    }
    this.ack(slot, `glue ${slot.inFlight.op}`);
  }

  private async iamWrite(c: Clients): Promise<void> {
    const slot = this.iamSlots[Math.floor(this.random() * this.iamSlots.length)]!;
    if (slot.inFlight) return;
    const version = `v${++slot.writes}`;
    const RoleName = slot.name;
    if (slot.acked === null) {
      slot.inFlight = { op: "create role", after: "" };
      await c.iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: JSON.stringify(trust) }));
    } else if (slot.acked === "" && this.random() < 0.25) {
      slot.inFlight = { op: "delete role", after: null };
      await c.iam.send(new DeleteRoleCommand({ RoleName }));
    } else if (slot.acked !== "" && this.random() < 0.3) {
      slot.inFlight = { op: "delete policy", after: "" };
      await c.iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName: "p" }));
    } else {
      slot.inFlight = { op: "put policy", after: version };
      await c.iam.send(
        new PutRolePolicyCommand({
          RoleName,
          PolicyName: "p",
          PolicyDocument: JSON.stringify(policy(`arn:aws:s3:::${RoleName}/${version}/*`)),
        }),
      );
    }
    this.ack(slot, `iam ${slot.inFlight.op}`);
  }

  private ack<S>(slot: Slot<S>, kind: string): void {
    slot.acked = slot.inFlight!.after;
    slot.inFlight = undefined;
    this.count(kind);
  }

  /** Compares each directly written item with its acknowledged (or in-flight) state; then continues from what is there. */
  private async checkSlots<S>(
    slots: Array<Slot<S>>,
    what: string,
    observe: (slot: Slot<S>) => Promise<S>,
  ): Promise<void> {
    for (const slot of slots) {
      const seen = await observe(slot);
      const fits = seen === slot.acked || (slot.inFlight !== undefined && seen === slot.inFlight.after);
      if (!fits) {
        const wanted = `${JSON.stringify(slot.acked)}${slot.inFlight ? ` or ${JSON.stringify(slot.inFlight.after)}` : ""}`;
        this.note(
          seen === null ? this.report.lost : this.report.contradicted,
          `${what} ${slot.name}: ${JSON.stringify(seen)} after the restart, acknowledged ${wanted}`,
        );
      }
      if (slot.inFlight) this.report.inFlightAtKill++;
      slot.acked = seen;
      slot.inFlight = undefined;
    }
  }

  private async check(c: Clients): Promise<void> {
    await this.checkSlots(this.s3Slots, "s3 object", async (slot) => {
      try {
        const out = await c.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: slot.name }));
        return await out.Body!.transformToString();
      } catch (error) {
        if (errorName(error) === "NoSuchKey") return null;
        throw error;
      }
    });
    await this.checkSlots(this.glueSlots, "glue database", async (slot) => {
      const db = await TYPES.glueDatabaseUnnamed!.get(c, slot.name);
      return db ? (db.Description as string) : null;
    });
    await this.checkSlots(this.iamSlots, "iam role", async (slot) => {
      const role = await c.iam
        .send(new GetRoleCommand({ RoleName: slot.name }))
        .catch(notFound(["NoSuchEntityException"]));
      if (!role) return null;
      const doc = await c.iam
        .send(new GetRolePolicyCommand({ RoleName: slot.name, PolicyName: "p" }))
        .catch(notFound(["NoSuchEntityException"]));
      if (!doc) return "";
      // IAM returns policy documents URL-encoded (RFC 3986).
      return /\/(v\d+)\/\*/.exec(decodeURIComponent(doc.PolicyDocument!))?.[1] ?? "?";
    });
    await this.checkCloudControl(c);
  }

  private async checkCloudControl(c: Clients): Promise<void> {
    // Requests cut by the kill: sent again with their ClientToken, as an SDK retry would.
    for (const request of this.ccRequests.filter((r) => !r.token)) {
      this.report.inFlightAtKill++;
      await this.sendCc(c, request);
    }
    const waiting = this.ccRequests.filter((r) => !r.final);
    const deadline = performance.now() + 60_000;
    for (const request of waiting) {
      for (;;) {
        const { ProgressEvent: event } = await c.cc.send(
          new GetResourceRequestStatusCommand({ RequestToken: request.token! }),
        );
        if (TERMINAL.has(event!.OperationStatus!)) {
          request.final = event;
          const outcome = `${event!.OperationStatus}${event!.ErrorCode ? ` ${event!.ErrorCode}` : ""}`;
          this.count(`cloudcontrol ${request.operation} ${outcome}`);
          if (
            request.operation === "CREATE" &&
            event!.EventTime! >= this.restartedAt &&
            this.report.kills > 0
          ) {
            const running = this.report.createsRunningAtKill;
            running[outcome] = (running[outcome] ?? 0) + 1;
          }
          if (request.kind !== "lifecycle") await this.checkCreate(c, request);
          break;
        }
        if (performance.now() > deadline) {
          this.note(
            this.report.lost,
            `${request.kind} ${request.token} still ${event!.OperationStatus} 60 s after the restart`,
          );
          break;
        }
        await sleep(25);
      }
    }
    for (const slot of this.lifecycles) {
      if (slot.current?.final) await this.finishLifecycle(c, slot, slot.current.final);
    }
    await this.checkAccounting(c);
  }

  /** One finished create: a SUCCESS's resource exists through Cloud Control and through its service, whole. */
  private async checkCreate(c: Clients, request: CcRequest): Promise<void> {
    const event = request.final!;
    const type = TYPES[request.kind]!;
    const what = `${type.typeName} create ${request.token}`;
    if (event.OperationStatus === "FAILED") {
      if (event.ErrorCode !== "AlreadyExists")
        this.note(this.report.contradicted, `${what} FAILED ${event.ErrorCode}: ${event.StatusMessage}`);
      return;
    }
    if (event.OperationStatus !== "SUCCESS" || !event.Identifier) {
      this.note(this.report.contradicted, `${what} ended ${event.OperationStatus} without an identifier`);
      return;
    }
    const viaCc = await c.cc
      .send(new GetResourceCommand({ TypeName: type.typeName, Identifier: event.Identifier }))
      .catch(notFound(["ResourceNotFoundException"]));
    const own = await type.get(c, event.Identifier);
    if (!viaCc || !own) this.note(this.report.lost, `${what}: SUCCESS, yet ${event.Identifier} is not there`);
    else if (type.whole && !type.whole(own, JSON.parse(request.input.DesiredState as string)))
      this.note(
        this.report.contradicted,
        `${what}: ${event.Identifier} is not whole: ${JSON.stringify(own)}`,
      );
  }

  /** The services' listings hold exactly what SUCCESS creates made and SUCCESS deletes did not remove. */
  private async checkAccounting(c: Clients): Promise<void> {
    const expected = new Map<string, Set<string>>();
    const add = (kind: string, id: string) => {
      if (!expected.has(kind)) expected.set(kind, new Set());
      expected.get(kind)!.add(id);
    };
    for (const kind of Object.keys(TYPES)) expected.set(kind, new Set());
    const owners = new Map<string, string>();
    for (const request of this.ccRequests) {
      const event = request.final;
      if (request.kind === "lifecycle" || event?.OperationStatus !== "SUCCESS") continue;
      const key = `${request.kind}|${event.Identifier}`;
      if (owners.has(key))
        this.note(
          this.report.contradicted,
          `${key} claimed by two SUCCESS creates: ${owners.get(key)} and ${event.RequestToken}`,
        );
      owners.set(key, event.RequestToken!);
      add(request.kind, event.Identifier!);
    }
    for (const [kind, type] of Object.entries(TYPES)) {
      const listed = new Set(await type.list(c));
      for (const id of listed) {
        if (!expected.get(kind)!.has(id))
          this.note(this.report.orphans, `${type.typeName} ${id}: no SUCCESS create accounts for it`);
      }
      for (const id of expected.get(kind)!) {
        if (!listed.has(id))
          this.note(this.report.lost, `${type.typeName} ${id}: its create SUCCEEDED, but it is not listed`);
      }
    }
    // Lifecycle databases: live exactly while their slot says so (finished deletes removed them).
    const lifecycleNames = (await allGlueDatabases(c)).filter((n) => n.startsWith(`${PREFIX}_l_`));
    const liveNames = new Set(this.lifecycles.filter((s) => s.live).map((s) => s.name!));
    const pending = new Set(this.lifecycles.filter((s) => s.current && !s.current.final).map((s) => s.name!));
    for (const name of lifecycleNames) {
      if (!liveNames.has(name) && !pending.has(name))
        this.note(this.report.orphans, `lifecycle database ${name} should not exist`);
    }
    for (const name of liveNames) {
      if (!lifecycleNames.includes(name)) this.note(this.report.lost, `lifecycle database ${name} is gone`);
    }
    // Every request the server knows is one the soak sent (and acknowledged now).
    const known = new Set(this.ccRequests.map((r) => r.token));
    let NextToken: string | undefined;
    do {
      const page = await c.cc.send(new ListResourceRequestsCommand({ NextToken }));
      for (const summary of page.ResourceRequestStatusSummaries ?? []) {
        if (!known.has(summary.RequestToken))
          this.note(this.report.orphans, `request ${summary.RequestToken} was never acknowledged`);
      }
      NextToken = page.NextToken;
    } while (NextToken);
  }
}

/** Runs the soak and returns what it found; the caller judges the report. */
export function crashSoak(options: SoakOptions): Promise<SoakReport> {
  return new Soak(options).run();
}
