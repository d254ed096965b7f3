import { mkdtemp } from "node:fs/promises";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudControlClient, GetResourceCommand } from "@aws-sdk/client-cloudcontrol";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { startServer } from "../index.ts";

const home = await mkdtemp(join(tmpdir(), "x-"));
const server = await startServer({
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
const client = new CloudControlClient({
  endpoint: server.url,
  region: "us-east-1",
  credentials: server.credentials,
  requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 32 }) }),
});
const lat: number[] = [];
const N = 4000,
  C = 16;
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: C }, async () => {
    while (next < N) {
      next++;
      const s = performance.now();
      await client.send(new GetResourceCommand({ TypeName: "AWS::S3::Bucket", Identifier: "b" }));
      lat.push(performance.now() - s);
    }
  }),
);
const secs = (performance.now() - t0) / 1000;
lat.sort((a, b) => a - b);
console.log({ rps: Math.round(N / secs), p50: lat[Math.floor(N * 0.5)], p99: lat[Math.floor(N * 0.99)] });
await server.close();
