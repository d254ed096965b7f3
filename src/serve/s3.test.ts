/**
 * S3 over the wire: the official S3 client (path style) against serve in front of the local
 * cloud's real S3 service and store, including the aws-chunked uploads the SDK sends for streams.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { signedFetch, signedRequest } from "../../test/support/signed-requests.ts";
import { createS3 } from "../cloud/s3/index.ts";
import { openStore } from "../cloud/store/index.ts";
import type { Store } from "../cloud/store.ts";
import { conforming } from "./conformance.ts";
import { type RunningServer, startServer } from "./index.ts";

describe("S3 over REST-XML with the official client", () => {
  let home: string;
  let store: Store;
  let server: RunningServer;
  let s3: S3Client;
  const bucket = `serve-${process.pid}`;

  before(async () => {
    home = await mkdtemp(join(tmpdir(), "idbridge-serve-s3-"));
    store = await openStore(home);
    server = await startServer({ cloud: { services: { s3: createS3(store).service } }, home, amcRoutes: [] });
    s3 = conforming(
      new S3Client({
        endpoint: server.url,
        region: "us-east-1",
        credentials: server.credentials,
        forcePathStyle: true,
      }),
    );
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  after(async () => {
    s3.destroy();
    await server.close();
    await store.close();
    await rm(home, { recursive: true, force: true });
  });

  it("puts, heads, gets and deletes an object with metadata and a key that needs escaping", async () => {
    const key = "in/crm file+ü#1.csv";
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: "id,email\n1,a@b.c\n",
        ContentType: "text/csv",
        Metadata: { source: "crm" },
      }),
    );
    assert.match(put.ETag ?? "", /^"[0-9a-f]{32}"$/);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    assert.equal(head.ContentLength, 17);
    assert.equal(head.ContentType, "text/csv");
    assert.deepEqual(head.Metadata, { source: "crm" });
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    assert.equal(await got.Body?.transformToString(), "id,email\n1,a@b.c\n");
    const range = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: "bytes=0-1" }));
    assert.equal(await range.Body?.transformToString(), "id");
    assert.equal(range.$metadata.httpStatusCode, 206);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })), { name: "NotFound" });
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })), { name: "NoSuchKey" });
  });

  it("decodes the aws-chunked body the SDK sends for a stream, and verifies its CRC32 trailer", async () => {
    const chunks = Array.from({ length: 64 }, (_, i) => Buffer.alloc(16 * 1024, 97 + (i % 26)));
    const body = Readable.from(chunks);
    const length = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "stream.bin", Body: body, ContentLength: length }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "stream.bin" }));
    const bytes = Buffer.from((await got.Body?.transformToByteArray()) ?? []);
    assert.equal(bytes.length, length);
    assert.ok(bytes.equals(Buffer.concat(chunks)), "the stored object is the decoded stream, byte for byte");
  });

  it("refuses an aws-chunked upload whose CRC32 trailer does not match, and stores nothing", async () => {
    const chunked = (data: string, crc: string) =>
      `${Buffer.byteLength(data).toString(16)}\r\n${data}\r\n0\r\nx-amz-checksum-crc32:${crc}\r\n\r\n`;
    const send = (key: string, crc: string) =>
      signedFetch(server, "s3", {
        method: "PUT",
        path: `/${bucket}/${key}`,
        headers: {
          "content-encoding": "aws-chunked",
          "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
          "x-amz-decoded-content-length": "5",
          "x-amz-trailer": "x-amz-checksum-crc32",
        },
        body: chunked("hello", crc),
      });
    const good = await send("crc-good.txt", "NhCmhg==");
    assert.equal(good.status, 200, await good.text());
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "crc-good.txt" }));
    assert.equal(await got.Body?.transformToString(), "hello");
    const bad = await send("crc-bad.txt", "AAAAAA==");
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /<Code>BadDigest<\/Code>/);
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "crc-bad.txt" })), {
      name: "NotFound",
    });
  });

  it("accepts UNSIGNED-PAYLOAD and refuses a body whose x-amz-content-sha256 does not match", async () => {
    const put = (key: string, sha: string) =>
      signedFetch(server, "s3", {
        method: "PUT",
        path: `/${bucket}/${key}`,
        headers: { "x-amz-content-sha256": sha, "content-type": "text/plain" },
        body: "payload",
      });
    assert.equal((await put("unsigned.txt", "UNSIGNED-PAYLOAD")).status, 200);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "unsigned.txt" }));
    assert.equal(await got.Body?.transformToString(), "payload");
    const wrong = await put("wrong-sha.txt", "0".repeat(64));
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /<Code>XAmzContentSHA256Mismatch<\/Code>/);
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "wrong-sha.txt" })), {
      name: "NotFound",
    });
  });

  it("lists with prefix, delimiter and continuation", async () => {
    for (const key of ["t/a/1.parquet", "t/a/2.parquet", "t/b/1.parquet", "t/top.csv"]) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    }
    const level = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "t/", Delimiter: "/" }));
    assert.deepEqual(
      level.CommonPrefixes?.map((p) => p.Prefix),
      ["t/a/", "t/b/"],
    );
    assert.deepEqual(
      level.Contents?.map((o) => o.Key),
      ["t/top.csv"],
    );
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: "t/", MaxKeys: 2, ContinuationToken: token }),
      );
      keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ""));
      token = page.NextContinuationToken;
    } while (token);
    assert.deepEqual(keys, ["t/a/1.parquet", "t/a/2.parquet", "t/b/1.parquet", "t/top.csv"]);
  });

  it("runs a multipart upload end to end", async () => {
    const key = "big/file.csv";
    const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    const parts = [Buffer.alloc(5 * 1024 * 1024, "x"), Buffer.from("tail")];
    const etags: string[] = [];
    for (const [i, part] of parts.entries()) {
      const up = await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId: created.UploadId,
          PartNumber: i + 1,
          Body: part,
        }),
      );
      etags.push(up.ETag ?? "");
    }
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: created.UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    assert.match(done.ETag ?? "", /-2"$/);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    assert.equal(head.ContentLength, 5 * 1024 * 1024 + 4);
  });

  it("serves a presigned GET URL and refuses it once expired or tampered with", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "p.txt", Body: "presigned" }));
    const url = new URL(server.url);
    const signer = new SignatureV4({
      credentials: server.credentials,
      region: "us-east-1",
      service: "s3",
      sha256: Hash.bind(null, "sha256"),
      uriEscapePath: false,
    });
    const presign = async (signingDate: Date, expiresIn: number) => {
      const signed = await signer.presign(
        new HttpRequest({
          method: "GET",
          protocol: "http:",
          hostname: url.hostname,
          port: Number(url.port),
          path: `/${bucket}/p.txt`,
          headers: { host: url.host, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
        }),
        {
          signingDate,
          expiresIn,
          unhoistableHeaders: new Set(["x-amz-content-sha256"]),
          unsignableHeaders: new Set(["x-amz-content-sha256"]),
        },
      );
      const query = new URLSearchParams(signed.query as Record<string, string>)
        .toString()
        .replace(/\+/g, "%20");
      return `${server.url}${signed.path}?${query}`;
    };
    const fresh = await fetch(await presign(new Date(), 60));
    assert.equal(fresh.status, 200);
    assert.equal(await fresh.text(), "presigned");
    const expired = await fetch(await presign(new Date(Date.now() - 3600_000), 60));
    assert.equal(expired.status, 403);
    assert.match(await expired.text(), /<Code>AccessDenied<\/Code><Message>Request has expired/);
    const tampered = (await presign(new Date(), 60)).replace("p.txt", "q.txt");
    const refused = await fetch(tampered);
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
  });

  it("understands virtual-hosted addressing on *.localhost (what SDKs use for a localhost endpoint)", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "vh/file.txt", Body: "virtual" }));
    const virtualHost = { ...server, url: server.url.replace("127.0.0.1", `${bucket}.localhost`) };
    const response = await server.handle(
      await signedRequest(virtualHost, "s3", {
        method: "GET",
        path: "/vh/file.txt",
        headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
      }),
    );
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "virtual");
  });

  it("answers NoSuchBucket with S3's XML error document", async () => {
    await assert.rejects(
      s3.send(new ListObjectsV2Command({ Bucket: "no-such-bucket-here" })),
      (error: Error & { $metadata: { httpStatusCode?: number } }) => {
        assert.equal(error.name, "NoSuchBucket");
        assert.equal(error.$metadata.httpStatusCode, 404);
        return true;
      },
    );
  });
});
