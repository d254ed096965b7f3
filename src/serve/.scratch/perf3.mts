import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
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
const w = new Worker(new URL("./client.mjs", import.meta.url), {
  workerData: { url: server.url, credentials: server.credentials },
});
const result = await new Promise((res, rej) => {
  w.on("message", res);
  w.on("error", rej);
});
console.log(result, { serverMs: ms / n });
await server.close();
