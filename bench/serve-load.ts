/**
 * Loopback load test of `idbridge serve`: Cloud Control GetResource reads against the real local
 * cloud, with CreateResource writes running at the same time, then a check that every write landed
 * exactly once. The load generator runs in a child process (its own core) and signs every request
 * with SigV4, as an SDK would. Bounded in count and time; loopback only.
 */
import { fork } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { Agent, request } from "node:http";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { ENVIRONMENT, setting } from "../src/config.ts";

const READS = 12_000;
/** Reads of the baseline phase, without writes. */
const BASELINE_READS = 6_000;
const READ_CONCURRENCY = 8;
const WRITES = 200;
const WRITE_CONCURRENCY = 2;
/** Writes re-sent with the same ClientToken, which must not create a second resource. */
const RETRIED_WRITES = 20;
const SEEDED = 20;
const TIME_LIMIT_MS = 30_000;
const ROLE_ENV = ENVIRONMENT.serveLoadRole.name;
const TYPE = "AWS::S3::Bucket";

interface Target {
  url: string;
  credentials: { accessKeyId: string; secretAccessKey: string; region: string };
}

interface ClientReport {
  reads: number;
  readSeconds: number;
  readLatencies: { p50: number; p99: number; max: number };
  writes: number;
  writeLatencies: { p50: number; p99: number };
  failures: string[];
  writtenNames: string[];
}

// biome-ignore lint/suspicious/noExplicitAny: Cloud Control answers are read member by member.
type Json = any;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const round = (value: number) => Math.round(value * 100) / 100;

/** A Cloud Control client as lean as raw HTTP allows: keep-alive sockets, a fresh SigV4 signature per call. */
function cloudControl(target: Target, maxSockets: number) {
  const url = new URL(target.url);
  const agent = new Agent({ keepAlive: true, maxSockets });
  const signer = new SignatureV4({
    credentials: target.credentials,
    region: target.credentials.region,
    service: "cloudcontrolapi",
    sha256: Hash.bind(null, "sha256"),
  });
  const call = async (operation: string, input: unknown): Promise<{ status: number; body: Json }> => {
    const body = JSON.stringify(input);
    const signed = await signer.sign(
      new HttpRequest({
        method: "POST",
        protocol: "http:",
        hostname: url.hostname,
        port: Number(url.port),
        path: "/",
        headers: {
          host: url.host,
          "content-type": "application/x-amz-json-1.0",
          "x-amz-target": `CloudApiService.${operation}`,
          "content-length": String(Buffer.byteLength(body)),
        },
        body,
      }),
    );
    return new Promise((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, method: "POST", path: "/", headers: signed.headers, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString() || "{}"),
            }),
          );
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  };
  return { call, close: () => agent.destroy() };
}

async function waitFor(
  client: ReturnType<typeof cloudControl>,
  token: string,
  deadline: number,
): Promise<Json> {
  for (let delay = 5; Date.now() < deadline; delay = Math.min(delay * 2, 100)) {
    const { body } = await client.call("GetResourceRequestStatus", { RequestToken: token });
    const status = body.ProgressEvent?.OperationStatus;
    if (status === "SUCCESS" || status === "FAILED") return body.ProgressEvent;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  throw new Error(`request ${token} did not finish in time`);
}

/** The load generator (child process): reads and writes at once, reports latencies. */
async function runClient(
  target: Target,
  identifiers: string[],
  prefix: string,
  withWrites: boolean,
): Promise<ClientReport> {
  const totalReads = withWrites ? READS : BASELINE_READS;
  const totalWrites = withWrites ? WRITES : 0;
  const reader = cloudControl(target, READ_CONCURRENCY);
  const writer = cloudControl(target, WRITE_CONCURRENCY + 1);
  const deadline = Date.now() + TIME_LIMIT_MS;
  const failures: string[] = [];
  const readLatencies: number[] = [];
  const writeLatencies: number[] = [];
  const writtenNames: string[] = [];
  let nextRead = 0;
  let nextWrite = 0;
  let readsDone = false;

  const reads = async () => {
    while (nextRead < totalReads && Date.now() < deadline) {
      const identifier = identifiers[nextRead++ % identifiers.length] as string;
      const started = performance.now();
      const { status, body } = await reader.call("GetResource", { TypeName: TYPE, Identifier: identifier });
      readLatencies.push(performance.now() - started);
      if (status !== 200 || body.ResourceDescription?.Identifier !== identifier)
        failures.push(`GetResource ${identifier}: ${status}`);
    }
  };
  const writes = async () => {
    while (nextWrite < totalWrites && Date.now() < deadline && !readsDone) {
      const index = nextWrite++;
      const name = `${prefix}-w${index}`;
      const input = {
        TypeName: TYPE,
        DesiredState: JSON.stringify({ BucketName: name }),
        ClientToken: `${prefix}-token-${index}`,
      };
      const started = performance.now();
      const created = await writer.call("CreateResource", input);
      if (index < RETRIED_WRITES) await writer.call("CreateResource", input);
      const event = await waitFor(writer, created.body.ProgressEvent?.RequestToken, deadline);
      writeLatencies.push(performance.now() - started);
      if (event.OperationStatus !== "SUCCESS") failures.push(`CreateResource ${index}: ${event.ErrorCode}`);
      else writtenNames.push(name);
    }
  };
  const started = performance.now();
  const readers = Promise.all(Array.from({ length: READ_CONCURRENCY }, reads)).then(() => {
    readsDone = true;
  });
  await Promise.all([readers, ...Array.from({ length: WRITE_CONCURRENCY }, writes)]);
  const readSeconds = (performance.now() - started) / 1000;
  reader.close();
  writer.close();
  readLatencies.sort((a, b) => a - b);
  writeLatencies.sort((a, b) => a - b);
  return {
    reads: readLatencies.length,
    readSeconds,
    readLatencies: {
      p50: round(percentile(readLatencies, 0.5)),
      p99: round(percentile(readLatencies, 0.99)),
      max: round(readLatencies.at(-1) ?? 0),
    },
    writes: writeLatencies.length,
    writeLatencies: {
      p50: round(percentile(writeLatencies, 0.5)),
      p99: round(percentile(writeLatencies, 0.99)),
    },
    failures: failures.slice(0, 10),
    writtenNames,
  };
}

function runClientProcess(
  target: Target,
  identifiers: string[],
  prefix: string,
  withWrites: boolean,
): Promise<ClientReport> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], {
      execArgv: ["--import", "tsx"],
      env: { ...process.env, [ROLE_ENV]: "client" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child.once("message", (message: { report?: ClientReport; error?: string }) => {
      if (message.report) resolve(message.report);
      else reject(new Error(message.error));
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
    });
    child.send({ target, identifiers, prefix, withWrites });
  });
}

export async function run(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), "idbridge-serve-load-"));
  const { LocalCloud } = await import("../src/cloud/index.ts");
  const { startServer } = await import("../src/serve/index.ts");
  const cloud = await LocalCloud.open({ home });
  const server = await startServer({ cloud, home, port: 0 });
  const prefix = `load-${process.pid}`;
  try {
    const target = { url: server.url, credentials: server.credentials };
    const setup = cloudControl(target, 4);
    const identifiers: string[] = [];
    for (let i = 0; i < SEEDED; i++) {
      const { body } = await setup.call("CreateResource", {
        TypeName: TYPE,
        DesiredState: JSON.stringify({ BucketName: `${prefix}-seed${i}` }),
      });
      const event = await waitFor(setup, body.ProgressEvent.RequestToken, Date.now() + 10_000);
      if (event.OperationStatus !== "SUCCESS")
        throw new Error(`seeding failed: ${event.ErrorCode} ${event.StatusMessage}`);
      identifiers.push(event.Identifier);
    }
    // Server CPU per call: what the target means on a quiet machine, whatever else shares the cores now.
    const cpuBefore = process.cpuUsage();
    const baseline = await runClientProcess(target, identifiers, prefix, false);
    const cpu = process.cpuUsage(cpuBefore);
    const cpuPerRead = (cpu.user + cpu.system) / baseline.reads;
    const report = await runClientProcess(target, identifiers, prefix, true);

    // Every resource exactly once: the seeded ones, and each write despite its retried ClientToken.
    const listed: string[] = [];
    let nextToken: string | undefined;
    do {
      const { body } = await setup.call("ListResources", {
        TypeName: TYPE,
        ...(nextToken ? { NextToken: nextToken } : {}),
      });
      listed.push(...(body.ResourceDescriptions ?? []).map((d: { Identifier: string }) => d.Identifier));
      nextToken = body.NextToken;
    } while (nextToken);
    setup.close();
    const expected = new Set([...identifiers, ...report.writtenNames]);
    const ours = listed.filter((id) => id.startsWith(prefix));
    const duplicates = ours.length - new Set(ours).size;
    const lost = [...expected].filter((id) => !ours.includes(id)).length;
    const unexpected = ours.filter((id) => !expected.has(id)).length;
    const rps = Math.round(report.reads / report.readSeconds);
    const failures = [...baseline.failures, ...report.failures];
    const verdict = rps >= 2000 && report.readLatencies.p99 < 20 ? "meets" : "misses";
    return [
      "## serve: Cloud Control over loopback under concurrent writes",
      "",
      `Server: \`idbridge serve\` on 127.0.0.1 over the local cloud (real store), ${cpus().length} cores. Load generator: a separate`,
      `process, ${READ_CONCURRENCY} keep-alive connections issuing GetResource (SigV4-signed per request) while ${WRITE_CONCURRENCY}`,
      `writers run CreateResource (AWS::S3::Bucket) and poll GetResourceRequestStatus; ${RETRIED_WRITES} writes are re-sent with the same ClientToken.`,
      "",
      "| measure | value |",
      "|---|---|",
      `| GetResource alone: calls, throughput, p50 / p99 | ${baseline.reads} in ${baseline.readSeconds.toFixed(2)} s, ${Math.round(baseline.reads / baseline.readSeconds)} req/s, ${baseline.readLatencies.p50} / ${baseline.readLatencies.p99} ms |`,
      `| server CPU per GetResource (user + system) | ${cpuPerRead.toFixed(0)} µs → ${Math.round(1_000_000 / cpuPerRead)} req/s on one core |`,
      `| GetResource under writes: calls | ${report.reads} in ${report.readSeconds.toFixed(2)} s |`,
      `| GetResource under writes: throughput | **${rps} req/s** |`,
      `| GetResource under writes: latency p50 / p99 / max | ${report.readLatencies.p50} / **${report.readLatencies.p99}** / ${report.readLatencies.max} ms |`,
      `| CreateResource completed (create → SUCCESS) | ${report.writes}, p50 ${report.writeLatencies.p50} ms, p99 ${report.writeLatencies.p99} ms |`,
      `| resources lost / duplicated / unexpected | ${lost} / ${duplicates} / ${unexpected} (of ${expected.size}) |`,
      `| failed calls | ${failures.length}${failures.length ? ` (${failures.join("; ")})` : ""} |`,
      "",
      `Target ≥ 2,000 GetResource/s with p99 < 20 ms on 2 cores, under writes: **${verdict}** (load average at the start: ${loadavg()[0]?.toFixed(2)}).`,
      "",
    ].join("\n");
  } finally {
    await server.close();
    await cloud.close();
    await rm(home, { recursive: true, force: true });
  }
}

if (setting("serveLoadRole") === "client") {
  process.once(
    "message",
    (message: { target: Target; identifiers: string[]; prefix: string; withWrites: boolean }) => {
      runClient(message.target, message.identifiers, message.prefix, message.withWrites)
        .then((report) => process.send?.({ report }, () => process.exit(0)))
        .catch((error: Error) => process.send?.({ error: error.message }, () => process.exit(1)));
    },
  );
}
