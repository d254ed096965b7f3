import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { LocalCloud } from "../cloud/index.ts";
import { startServer } from "../serve/index.ts";
import AWS from "./aws/control.ts";
import { localPort } from "./backends/local.ts";
import { idbridge } from "./index.ts";

describe("local backend", () => {
  it("goes through the running `idbridge serve` when it holds the home", async () => {
    const home = mkdtempSync(join(tmpdir(), "idbridge-backend-"));
    const cloud = await LocalCloud.open({ home });
    const server = await startServer({ cloud, home, port: 0 });
    try {
      // No `cloud` option: the app opens `home` itself, finds it in use, and uses server.json.
      const app = await idbridge.app("served", { home, log: () => {} });
      assert.equal(app.backend, "local");
      const bucket = await AWS.S3.Bucket("bucket", { BucketName: "served-bucket" });
      await app.finalize();
      assert.equal(bucket.BucketName, "served-bucket");
      const live = await localPort(cloud).getResource({
        TypeName: "AWS::S3::Bucket",
        Identifier: "served-bucket",
      });
      assert.equal(live.ResourceDescription?.Identifier, "served-bucket", "created in the served cloud");
    } finally {
      await server.close();
      await cloud.close();
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("opens the home in-process when nothing serves it, and closes it after finalize", async () => {
    const home = mkdtempSync(join(tmpdir(), "idbridge-backend-"));
    try {
      const app = await idbridge.app("inproc", { home, log: () => {} });
      await AWS.S3.Bucket("bucket", { BucketName: "inproc-bucket" });
      await app.finalize();
      const cloud = await LocalCloud.open({ home });
      try {
        const live = await localPort(cloud).getResource({
          TypeName: "AWS::S3::Bucket",
          Identifier: "inproc-bucket",
        });
        assert.equal(live.ResourceDescription?.Identifier, "inproc-bucket");
      } finally {
        await cloud.close();
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
