import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
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

  for (const backend of ["local", "aws"] as const) {
    it(`uploads a file once, again only when it changed, and not on plan (${backend})`, async () => {
      const home = mkdtempSync(join(tmpdir(), "idbridge-upload-"));
      const cloud = await LocalCloud.open({ home: join(home, "cloud") });
      const server = await startServer({ cloud, home: join(home, "cloud"), port: 0 });
      const options =
        backend === "local"
          ? { home, cloud, log: () => {} }
          : {
              home,
              backend: "aws" as const,
              endpoint: server.url,
              region: server.credentials.region,
              credentials: {
                accessKeyId: server.credentials.accessKeyId,
                secretAccessKey: server.credentials.secretAccessKey,
              },
              accountId: "000000000000",
              log: () => {},
            };
      const file = join(home, "table.parquet");
      try {
        writeFileSync(file, "version 1");
        let app = await idbridge.app("upload", options);
        const bucket = await AWS.S3.Bucket("bucket", { BucketName: `upload-${backend}` });
        const put = { Bucket: bucket.BucketName, Key: "crm/table.parquet", file };
        assert.equal(await app.uploadFile(put), true, "first upload");
        assert.equal(await app.uploadFile(put), false, "unchanged: not sent again");
        writeFileSync(file, "version 2");
        assert.equal(await app.uploadFile(put), true, "changed: sent");
        await app.finalize();
        app = await idbridge.app("upload", { ...options, phase: "plan" });
        writeFileSync(file, "version 3");
        assert.equal(await app.uploadFile(put), false, "plan sends nothing");
        await app.finalize();
        const s3 = cloud.services.s3!;
        const object = await s3.operations.GetObject!(
          { Bucket: `upload-${backend}`, Key: "crm/table.parquet" },
          { accountId: "000000000000", region: "us-east-1", requestId: "test" },
        );
        const chunks: Buffer[] = [];
        for await (const chunk of object.Body as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
        assert.equal(Buffer.concat(chunks).toString(), "version 2");

        // Uploads are declared like resources: one no longer uploaded is deleted, and destroy
        // deletes them before the bucket (which it could not delete otherwise).
        app = await idbridge.app("upload", options);
        await AWS.S3.Bucket("bucket", { BucketName: `upload-${backend}` });
        await app.uploadFile({ ...put, Key: "crm/other.parquet" });
        await app.finalize();
        const ctx = { accountId: "000000000000", region: "us-east-1", requestId: "test" };
        const listed = await s3.operations.ListObjectsV2!({ Bucket: `upload-${backend}` }, ctx);
        assert.deepEqual(
          ((listed.Contents as Array<{ Key: string }> | undefined) ?? []).map((o) => o.Key),
          ["crm/other.parquet"],
        );
        app = await idbridge.app("upload", options);
        const result = await app.destroy();
        assert.deepEqual(
          result.resources.map((r) => `${r.id}:${r.action}`),
          ["bucket:delete"],
        );
      } finally {
        await server.close();
        await cloud.close();
        rmSync(home, { recursive: true, force: true });
      }
    });
  }
});
