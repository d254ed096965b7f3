import { mkdtemp } from "node:fs/promises";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { startServer } from "../index.ts";

const home = await mkdtemp(join(tmpdir(), "x-"));
let ms = 0,
  n = 0;
const server = await startServer({
  log: (e) => {
    ms += e.ms;
    n++;
  },
  cloud: {
    services: {
      cloudcontrolapi: {
        signingName: "cloudcontrolapi",
        operations: {
          GetResource: async (i) => ({
            TypeName: i.TypeName,
            ResourceDescription: { Identifier: i.Identifier, Properties: '{"BucketName":"x"}' },
          }),
        },
      },
    },
  },
  home,
  amcRoutes: [],
});
const url = new URL(server.url);
const body = '{"TypeName":"AWS::S3::Bucket","Identifier":"b"}';
const signer = new SignatureV4({
  credentials: server.credentials,
  region: "us-east-1",
  service: "cloudcontrolapi",
  sha256: Hash.bind(null, "sha256"),
});
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
      "x-amz-target": "CloudApiService.GetResource",
      "content-length": String(body.length),
    },
    body,
  }),
);
const agent = new Agent({ keepAlive: true, maxSockets: 16 });
const once = () =>
  new Promise<void>((res, rej) => {
    const r = request(
      { host: url.hostname, port: url.port, method: "POST", path: "/", headers: signed.headers, agent },
      (resp) => {
        resp.resume();
        resp.on("end", () => res());
      },
    );
    r.on("error", rej);
    r.end(body);
  });
const lat: number[] = [];
const N = 8000,
  C = 16;
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: C }, async () => {
    while (next < N) {
      next++;
      const s = performance.now();
      await once();
      lat.push(performance.now() - s);
    }
  }),
);
const secs = (performance.now() - t0) / 1000;
lat.sort((a, b) => a - b);
console.log({
  rps: Math.round(N / secs),
  p50: lat[Math.floor(N * 0.5)],
  p99: lat[Math.floor(N * 0.99)],
  serverMs: ms / n,
});
await server.close();
