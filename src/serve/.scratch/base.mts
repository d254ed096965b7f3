import { createServer } from "node:http";
import { Worker } from "node:worker_threads";

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/x-amz-json-1.0" });
    res.end('{"TypeName":"AWS::S3::Bucket","ResourceDescription":{"Identifier":"b","Properties":"{}"}}');
  });
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
const port = (server.address() as any).port;
const w = new Worker(new URL("./client.mjs", import.meta.url), {
  workerData: { url: `http://127.0.0.1:${port}`, credentials: { accessKeyId: "AKIA", secretAccessKey: "x" } },
});
console.log(
  await new Promise((res, rej) => {
    w.on("message", res);
    w.on("error", rej);
  }),
);
server.close();
server.closeAllConnections();
