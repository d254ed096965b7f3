/**
 * Loopback load test of `idbridge serve` against a bare Cloud Control fake, side by side.
 *
 * Three processes besides this one: `idbridge serve` over the real local cloud (store, SigV4,
 * validation, durable writes), a fake Cloud Control on node:http that checks nothing and stores
 * nothing, and one load generator with the official SDK client (@aws-sdk/client-cloudcontrol):
 * 32 GetResource calls in flight plus one writer (CreateResource, the first ones re-sent with their
 * ClientToken). Rounds alternate between the two servers; each round reads the server process's own
 * CPU (user + system) before and after, so the figure is the server's work per call whatever else
 * shares the machine. Afterwards every write must have landed in idbridge exactly once.
 * Bounded in count and time; loopback only.
 */
import { fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CloudControlClient,
  CreateResourceCommand,
  GetResourceCommand,
  GetResourceRequestStatusCommand,
  ListResourcesCommand,
} from "@aws-sdk/client-cloudcontrol";
import { ENVIRONMENT, setting } from "../src/config.ts";

const ROUNDS = 3;
const READS_PER_ROUND = 6_000;
const IN_FLIGHT = 32;
/** One writer, one CreateResource per this many reads, so both servers get the same mix. */
const READS_PER_WRITE = 100;
/** Writes re-sent with the same ClientToken, which must not create a second resource. */
const RETRIED_WRITES = 10;
const SEEDED = 20;
const ROUND_TIME_LIMIT_MS = 60_000;
const TARGET_RATIO = 1.5;
const ROLE_ENV = ENVIRONMENT.serveLoadRole.name;
const TYPE = "AWS::S3::Bucket";

type ServerKind = "idbridge" | "fake";

interface Endpoint {
  url: string;
  credentials: { accessKeyId: string; secretAccessKey: string; region: string };
}

interface RoundReport {
  reads: number;
  writes: number;
  seconds: number;
  p50: number;
  p99: number;
  failures: string[];
  writtenNames: string[];
}

type ToClient =
  | { kind: "seed"; endpoint: Endpoint; prefix: string }
  | { kind: "round"; endpoint: Endpoint; identifiers: string[]; prefix: string; round: number; reads: number }
  | { kind: "audit"; endpoint: Endpoint; prefix: string };

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const round2 = (value: number) => Math.round(value * 100) / 100;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

// ---------------------------------------------------------------- servers (child processes)

/** The fake: answers Cloud Control's JSON 1.0 with the right shapes; no signature, no validation, no store. */
function serveFake(): Promise<Endpoint> {
  const answer = (res: ServerResponse, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(200, {
      "content-type": "application/x-amz-json-1.0",
      "x-amzn-requestid": randomUUID(),
      date: new Date().toUTCString(),
      "content-length": Buffer.byteLength(text),
    });
    res.end(text);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const input = JSON.parse(Buffer.concat(chunks).toString() || "{}");
      const operation = String(req.headers["x-amz-target"] ?? "").split(".")[1];
      const event = (identifier?: string) => ({
        TypeName: input.TypeName ?? TYPE,
        Identifier: identifier,
        RequestToken: input.RequestToken ?? randomUUID(),
        Operation: "CREATE",
        OperationStatus: "SUCCESS",
        EventTime: Date.now() / 1000,
      });
      if (operation === "GetResource") {
        answer(res, {
          TypeName: input.TypeName,
          ResourceDescription: {
            Identifier: input.Identifier,
            Properties: JSON.stringify({ BucketName: input.Identifier }),
          },
        });
      } else if (operation === "CreateResource") {
        answer(res, { ProgressEvent: event(JSON.parse(input.DesiredState ?? "{}").BucketName) });
      } else {
        answer(res, { ProgressEvent: event() });
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        credentials: { accessKeyId: "AKIAFAKEFAKEFAKEFAKE", secretAccessKey: "fake", region: "us-east-1" },
      });
    }),
  );
}

async function serveIdbridge(home: string): Promise<Endpoint> {
  const { LocalCloud } = await import("../src/cloud/index.ts");
  const { startServer } = await import("../src/serve/index.ts");
  const cloud = await LocalCloud.open({ home });
  const server = await startServer({ cloud, home, port: 0 });
  process.once("disconnect", () => {
    void server.close().then(() => cloud.close());
  });
  return { url: server.url, credentials: server.credentials };
}

interface ServerProcess {
  endpoint: Endpoint;
  /** The server process's own CPU so far, in µs (user + system). */
  cpu(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts a server in its own process; `execArgv` lets a profiling run add --cpu-prof. */
export function startServerProcess(
  kind: ServerKind,
  home: string,
  execArgv: string[] = [],
): Promise<ServerProcess> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ["--import", "tsx", ...execArgv],
    env: { ...process.env, [ROLE_ENV]: kind },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending: Array<(value: number) => void> = [];
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.on("message", (message: { endpoint?: Endpoint; cpu?: number; error?: string }) => {
      if (message.error) reject(new Error(message.error));
      if (message.endpoint) {
        resolve({
          endpoint: message.endpoint,
          cpu: () =>
            new Promise((done) => {
              pending.push(done);
              child.send({ kind: "cpu" });
            }),
          stop: () =>
            new Promise((done) => {
              child.once("exit", () => done());
              child.send({ kind: "stop" });
            }),
        });
      }
      if (message.cpu !== undefined) pending.shift()?.(message.cpu);
    });
    child.send({ kind: "start", home });
  });
}

function runServerRole(kind: ServerKind): void {
  process.on("message", (message: { kind: string; home?: string }) => {
    if (message.kind === "start") {
      (kind === "fake" ? serveFake() : serveIdbridge(message.home ?? ""))
        .then((endpoint) => process.send?.({ endpoint }))
        .catch((error: Error) => process.send?.({ error: error.stack ?? error.message }));
    } else if (message.kind === "cpu") {
      const { user, system } = process.cpuUsage();
      process.send?.({ cpu: user + system });
    } else if (message.kind === "stop") {
      process.disconnect();
      setTimeout(() => process.exit(0), 3_000).unref();
    }
  });
}

// ---------------------------------------------------------------- load generator (child process)

const clients = new Map<string, CloudControlClient>();
function clientFor(endpoint: Endpoint): CloudControlClient {
  let client = clients.get(endpoint.url);
  if (!client) {
    client = new CloudControlClient({
      endpoint: endpoint.url,
      region: endpoint.credentials.region,
      credentials: endpoint.credentials,
      maxAttempts: 1,
    });
    clients.set(endpoint.url, client);
  }
  return client;
}

async function settle(client: CloudControlClient, token: string, deadline: number) {
  for (let delay = 5; Date.now() < deadline; delay = Math.min(delay * 2, 100)) {
    const { ProgressEvent: event } = await client.send(
      new GetResourceRequestStatusCommand({ RequestToken: token }),
    );
    if (event?.OperationStatus === "SUCCESS" || event?.OperationStatus === "FAILED") return event;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  throw new Error(`request ${token} did not finish in time`);
}

async function seed(endpoint: Endpoint, prefix: string): Promise<string[]> {
  const client = clientFor(endpoint);
  const identifiers: string[] = [];
  for (let i = 0; i < SEEDED; i++) {
    const { ProgressEvent: created } = await client.send(
      new CreateResourceCommand({
        TypeName: TYPE,
        DesiredState: JSON.stringify({ BucketName: `${prefix}-seed${i}` }),
      }),
    );
    const event = await settle(client, created?.RequestToken ?? "", Date.now() + 10_000);
    if (event.OperationStatus !== "SUCCESS" || !event.Identifier)
      throw new Error(`seeding failed: ${event.ErrorCode} ${event.StatusMessage}`);
    identifiers.push(event.Identifier);
  }
  return identifiers;
}

async function loadRound(
  endpoint: Endpoint,
  identifiers: string[],
  prefix: string,
  round: number,
  totalReads: number,
): Promise<RoundReport> {
  const client = clientFor(endpoint);
  const deadline = Date.now() + ROUND_TIME_LIMIT_MS;
  const failures: string[] = [];
  const latencies: number[] = [];
  const writtenNames: string[] = [];
  const tokens: Array<[string, string]> = [];
  let nextRead = 0;
  let readsDone = 0;
  let writes = 0;
  const reader = async () => {
    while (nextRead < totalReads && Date.now() < deadline) {
      const identifier = identifiers[nextRead++ % identifiers.length] as string;
      const started = performance.now();
      try {
        const out = await client.send(new GetResourceCommand({ TypeName: TYPE, Identifier: identifier }));
        if (out.ResourceDescription?.Identifier !== identifier) failures.push(`GetResource ${identifier}`);
      } catch (error) {
        failures.push(`GetResource: ${(error as Error).name}`);
      }
      latencies.push(performance.now() - started);
      readsDone++;
    }
  };
  const writer = async () => {
    const total = totalReads / READS_PER_WRITE;
    for (let index = 0; index < total && Date.now() < deadline; index++) {
      while (readsDone < index * READS_PER_WRITE && readsDone < totalReads)
        await new Promise((resolve) => setTimeout(resolve, 1));
      const name = `${prefix}-r${round}w${index}`;
      const command = new CreateResourceCommand({
        TypeName: TYPE,
        DesiredState: JSON.stringify({ BucketName: name }),
        ClientToken: `${prefix}-r${round}-token-${index}`,
      });
      try {
        const { ProgressEvent: event } = await client.send(command);
        if (round === 0 && index < RETRIED_WRITES) await client.send(command);
        tokens.push([name, event?.RequestToken ?? ""]);
        writes++;
      } catch (error) {
        failures.push(`CreateResource: ${(error as Error).name}`);
      }
    }
  };
  const started = performance.now();
  await Promise.all([...Array.from({ length: IN_FLIGHT }, reader), writer()]);
  const seconds = (performance.now() - started) / 1000;
  // Outside the measured span: every acknowledged write must end SUCCESS.
  for (const [name, token] of tokens) {
    const event = await settle(client, token, Date.now() + 30_000);
    if (event.OperationStatus !== "SUCCESS") failures.push(`CreateResource ${name}: ${event.ErrorCode}`);
    else writtenNames.push(name);
  }
  latencies.sort((a, b) => a - b);
  return {
    reads: latencies.length,
    writes,
    seconds,
    p50: round2(percentile(latencies, 0.5)),
    p99: round2(percentile(latencies, 0.99)),
    failures: failures.slice(0, 5),
    writtenNames,
  };
}

async function audit(endpoint: Endpoint, prefix: string): Promise<string[]> {
  const client = clientFor(endpoint);
  const listed: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListResourcesCommand({ TypeName: TYPE, NextToken: nextToken }));
    for (const description of page.ResourceDescriptions ?? [])
      if (description.Identifier?.startsWith(prefix)) listed.push(description.Identifier);
    nextToken = page.NextToken;
  } while (nextToken);
  return listed;
}

function runClientRole(): void {
  process.on("message", (message: ToClient) => {
    const work =
      message.kind === "seed"
        ? seed(message.endpoint, message.prefix)
        : message.kind === "round"
          ? loadRound(message.endpoint, message.identifiers, message.prefix, message.round, message.reads)
          : audit(message.endpoint, message.prefix);
    work
      .then((result) => process.send?.({ result }))
      .catch((error: Error) => process.send?.({ error: error.stack ?? error.message }));
  });
  process.once("disconnect", () => process.exit(0));
}

function startClientProcess() {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, [ROLE_ENV]: "client" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ask = <T>(message: ToClient): Promise<T> =>
    new Promise((resolve, reject) => {
      child.once("message", (reply: { result?: T; error?: string }) => {
        if (reply.error) reject(new Error(reply.error));
        else resolve(reply.result as T);
      });
      child.send(message);
    });
  return { ask, stop: () => child.disconnect() };
}

// ---------------------------------------------------------------- the section

interface Measured extends RoundReport {
  kind: ServerKind;
  cpuPerRead: number;
}

/** Runs the alternating rounds; exported so a profiling script can drive the same load. */
export async function compare(options: { rounds?: number; execArgv?: string[] } = {}) {
  const home = await mkdtemp(join(tmpdir(), "idbridge-serve-load-"));
  const idbridge = await startServerProcess("idbridge", home, options.execArgv);
  const fake = await startServerProcess("fake", home);
  const client = startClientProcess();
  const prefix = `load-${process.pid}`;
  const measured: Measured[] = [];
  try {
    const identifiers = await client.ask<string[]>({ kind: "seed", endpoint: idbridge.endpoint, prefix });
    // A short warm-up of each, so JIT and connection set-up are not in the first round.
    for (const server of [idbridge, fake]) {
      await client.ask({
        kind: "round",
        endpoint: server.endpoint,
        identifiers,
        prefix: `${prefix}-warm`,
        round: 99,
        reads: READS_PER_ROUND / 4,
      });
    }
    for (let round = 0; round < (options.rounds ?? ROUNDS); round++) {
      const order: Array<[ServerKind, ServerProcess]> =
        round % 2 === 0
          ? [
              ["idbridge", idbridge],
              ["fake", fake],
            ]
          : [
              ["fake", fake],
              ["idbridge", idbridge],
            ];
      for (const [kind, server] of order) {
        const before = await server.cpu();
        const report = await client.ask<RoundReport>({
          kind: "round",
          endpoint: server.endpoint,
          identifiers,
          prefix,
          round,
          reads: READS_PER_ROUND,
        });
        const cpu = (await server.cpu()) - before;
        measured.push({ kind, cpuPerRead: cpu / report.reads, ...report });
      }
    }
    const expected = new Set([
      ...identifiers,
      ...measured.filter((m) => m.kind === "idbridge").flatMap((m) => m.writtenNames),
    ]);
    const ours = (await client.ask<string[]>({ kind: "audit", endpoint: idbridge.endpoint, prefix })).filter(
      (id) => !id.startsWith(`${prefix}-warm`),
    );
    return {
      measured,
      expected: expected.size,
      lost: [...expected].filter((id) => !ours.includes(id)).length,
      duplicates: ours.length - new Set(ours).size,
      unexpected: ours.filter((id) => !expected.has(id)).length,
    };
  } finally {
    client.stop();
    await idbridge.stop();
    await fake.stop();
    await rm(home, { recursive: true, force: true });
  }
}

export async function run(): Promise<string> {
  const load = loadavg()[0];
  const { measured, expected, lost, duplicates, unexpected } = await compare();
  const of = (kind: ServerKind) => measured.filter((m) => m.kind === kind);
  const ratios = of("idbridge").map((m, i) => m.cpuPerRead / (of("fake")[i]?.cpuPerRead ?? Number.NaN));
  const ratio = median(ratios);
  const failures = measured.flatMap((m) => m.failures);
  const rows = measured.map(
    (m, i) =>
      `| ${Math.floor(i / 2) + 1} | ${m.kind} | ${m.cpuPerRead.toFixed(0)} µs | ${m.reads} + ${m.writes} in ${m.seconds.toFixed(2)} s, ${Math.round(m.reads / m.seconds)} req/s | ${m.p50} / ${m.p99} ms |`,
  );
  return [
    "## serve: server CPU per signed GetResource vs a bare Cloud Control fake",
    "",
    `Servers on 127.0.0.1, each in its own process: \`idbridge serve\` over the local cloud (real store; SigV4 recomputed with`,
    "@smithy/signature-v4, input validated, writes durable) and a fake Cloud Control on node:http that checks nothing and",
    `stores nothing. Load: the official SDK client (@aws-sdk/client-cloudcontrol) in a third process, ${IN_FLIGHT} GetResource in`,
    `flight plus one writer (a CreateResource per ${READS_PER_WRITE} reads; the first ${RETRIED_WRITES} re-sent with their ClientToken).`,
    `${ROUNDS} rounds of ${READS_PER_ROUND} reads, alternating which server goes first; the figure is the server process's own`,
    `CPU (user + system) over the round divided by its GetResource calls. ${cpus().length} cores, load average ${load?.toFixed(2)} at the start.`,
    "",
    "| round | server | CPU per GetResource | calls (reads + writes), throughput | latency p50 / p99 |",
    "|---|---|---|---|---|",
    ...rows,
    "",
    `idbridge / fake CPU per GetResource: rounds ${ratios.map((r) => `${r.toFixed(2)}×`).join(", ")}; median **${ratio.toFixed(2)}×** (target ≤ ${TARGET_RATIO}×: **${ratio <= TARGET_RATIO ? "meets" : "misses"}**).`,
    "",
    `Writes to idbridge lost / duplicated / unexpected: ${lost} / ${duplicates} / ${unexpected} (of ${expected}); failed calls: ${failures.length}${failures.length ? ` (${failures.join("; ")})` : ""}.`,
    "",
  ].join("\n");
}

const role = setting("serveLoadRole");
if (role === "client") runClientRole();
else if (role === "idbridge" || role === "fake") runServerRole(role);
