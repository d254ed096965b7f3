/**
 * `idbridge serve`: the local cloud over AWS's own wire protocols, so the official SDKs, the AWS CLI
 * and Alchemy work against it unchanged. Requests are routed by their SigV4 credential scope
 * (s3 → REST-XML, glue → JSON 1.1, iam → query, entityresolution/cleanrooms → REST-JSON,
 * cloudcontrolapi → JSON 1.0) and verified against <home>/credentials.json; /amc/… takes the AMC
 * bearer token. See app.ts for the request flow and protocol.ts for the ProtocolHandler seam.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { setting } from "../config.ts";
import type { AmcRoute } from "./amc/index.ts";
import { type AccessLogEntry, type App, type CloudLike, createApp } from "./app.ts";
import {
  type LocalCredentials,
  loadOrCreateCredentials,
  removeServerInfo,
  writeServerInfo,
} from "./credentials.ts";
import { nodeListener } from "./node-adapter.ts";
import type { WireResponse } from "./protocol.ts";

export type { AmcRoute } from "./amc/index.ts";
export type { AccessLogEntry, CloudLike } from "./app.ts";
export type { LocalCredentials, ServerInfo } from "./credentials.ts";
export { credentialsPath, readCredentials, readServerInfo, serverInfoPath } from "./credentials.ts";
export { ServeFileError } from "./errors.ts";

export interface ServeOptions {
  /** The local cloud (LocalCloud.open's result): services by signing name, plus the AMC admin API. */
  cloud: CloudLike & { amcRoutes?: readonly AmcRoute[] };
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. Default 0. */
  port?: number;
  /** Home of the local cloud: credentials.json (0600) lives here, and server.json while serving. */
  home: string;
  log?: (entry: AccessLogEntry) => void;
  /** AMC admin API routes; default: the cloud's amcRoutes, else src/cloud/amc's `routes` export. */
  amcRoutes?: readonly AmcRoute[];
  /** The server's clock for signature age checks and Date headers (to simulate skew). Default: system clock. */
  clock?: () => Date;
  /**
   * The largest request body accepted (uploads included); bigger ones get 413. Default:
   * $IDBRIDGE_MAX_BODY_BYTES, else 5 GiB (S3's single-PUT limit). JSON/XML/form documents are also
   * held to 16 MiB.
   */
  maxBodyBytes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  credentials: { accessKeyId: string; secretAccessKey: string; region: string };
  amcToken: string;
  /** The same app without a socket (Hono-style `app.request`). */
  handle(request: Request): Promise<Response>;
  close(): Promise<void>;
}

/** The AMC routes of the local cloud; imported lazily because src/cloud/amc pulls in ER and Clean Rooms. */
async function defaultAmcRoutes(): Promise<readonly AmcRoute[]> {
  return (await import("../cloud/amc/index.ts")).routes;
}

/** Builds serve's request handler for a cloud without listening (for in-process use and tests). */
export async function createServeApp(
  options: Omit<ServeOptions, "host" | "port">,
): Promise<{ app: App; credentials: LocalCredentials; handle(request: Request): Promise<Response> }> {
  const credentials = await loadOrCreateCredentials(options.home);
  const amcRoutes = options.amcRoutes ?? options.cloud.amcRoutes ?? (await defaultAmcRoutes());
  const app = createApp({
    cloud: options.cloud,
    credentials,
    amcRoutes,
    log: options.log,
    now: options.clock,
    maxBodyBytes: options.maxBodyBytes ?? setting("maxBodyBytes"),
  });
  return { app, credentials, handle: (request) => handleRequest(app, request) };
}

type ResponseBody = ConstructorParameters<typeof Response>[0];

const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

/** Runs a fetch-style Request through the app in-process. */
export async function handleRequest(app: App, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  headers.host ??= url.host;
  const body = request.body ? (request.body as unknown as AsyncIterable<Uint8Array>) : new Uint8Array();
  const response = await app.handle({
    method: request.method,
    rawPath: url.pathname,
    rawQuery: url.search.slice(1),
    headers,
    body,
  });
  return toResponse(response);
}

function toResponse(response: WireResponse): Response {
  const headers = new Headers(response.headers);
  let body: ResponseBody = null;
  if (!NULL_BODY_STATUS.has(response.status) && response.body !== undefined) {
    const value = response.body;
    body =
      typeof value === "string" || value instanceof Uint8Array
        ? (value as ResponseBody)
        : (ReadableStream.from(value as AsyncIterable<Uint8Array>) as unknown as ResponseBody);
  }
  return new Response(body, { status: response.status, headers });
}

/**
 * Serves the local cloud over AWS's wire protocols on host:port (loopback by default), with
 * credentials created once per home. Writes <home>/server.json while listening; close() removes it.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const { app, credentials, handle } = await createServeApp(options);
  const server = createServer({ keepAliveTimeout: 30_000 }, nodeListener(app));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  const url = `http://${urlHost}:${port}`;
  await writeServerInfo(options.home, {
    url,
    host,
    port,
    pid: process.pid,
    startedAt: new Date().toISOString(),
  });
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      region: credentials.region,
    },
    amcToken: credentials.amcToken,
    handle,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), 2_000).unref();
        });
        await removeServerInfo(options.home, process.pid, port);
      })();
      return closing;
    },
  };
}
