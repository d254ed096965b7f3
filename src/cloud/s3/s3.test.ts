import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { test } from "node:test";
import { rejectsWith } from "../../../test/support/aws-error-assertions.ts";
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type RequestContext } from "../service.ts";
import { openStore } from "../store/index.ts";
import type { Store } from "../store.ts";
import { createS3, MIN_PART_BYTES, type S3 } from "./index.ts";

const ctx: RequestContext = { accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION, requestId: "test" };

async function withS3(fn: (s3: S3, store: Store, home: string) => Promise<void>): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), "idbridge-s3-"));
  const store = await openStore(home);
  try {
    await fn(createS3(store), store, home);
  } finally {
    await store.close();
    rmSync(home, { recursive: true, force: true });
  }
}

const md5 = (data: string | Buffer) => createHash("md5").update(data).digest("hex");

test("buckets: create, head, list, location, name rules, duplicates, delete only when empty", async () => {
  await withS3(async ({ service: { operations: s3 } }) => {
    assert.deepEqual(await s3.CreateBucket!({ Bucket: "idb-data" }, ctx), { Location: "/idb-data" });
    await rejectsWith(s3.CreateBucket!({ Bucket: "idb-data" }, ctx), {
      code: "BucketAlreadyOwnedByYou",
      status: 409,
    });
    for (const bad of ["Upper", "ab", "a..b", "192.168.1.1", "-dash", `x${"y".repeat(63)}`]) {
      await rejectsWith(s3.CreateBucket!({ Bucket: bad }, ctx), { code: "InvalidBucketName", status: 400 });
    }
    await s3.CreateBucket!(
      { Bucket: "idb-eu", CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } },
      ctx,
    );
    assert.equal((await s3.HeadBucket!({ Bucket: "idb-eu" }, ctx)).BucketRegion, "eu-west-1");
    await rejectsWith(s3.HeadBucket!({ Bucket: "missing-bucket" }, ctx), { code: "NotFound", status: 404 });
    assert.deepEqual((await s3.GetBucketLocation!({ Bucket: "idb-data" }, ctx)).LocationConstraint, null);
    assert.equal((await s3.GetBucketLocation!({ Bucket: "idb-eu" }, ctx)).LocationConstraint, "eu-west-1");
    const listed = await s3.ListBuckets!({}, ctx);
    assert.deepEqual(
      listed.Buckets.map((b: { Name: string }) => b.Name),
      ["idb-data", "idb-eu"],
    );
    assert.ok(listed.Buckets[0].CreationDate instanceof Date);
    await s3.PutObject!({ Bucket: "idb-data", Key: "a.txt", Body: "x" }, ctx);
    await rejectsWith(s3.DeleteBucket!({ Bucket: "idb-data" }, ctx), { code: "BucketNotEmpty", status: 409 });
    await s3.DeleteObject!({ Bucket: "idb-data", Key: "a.txt" }, ctx);
    await s3.DeleteBucket!({ Bucket: "idb-data" }, ctx);
    await rejectsWith(s3.DeleteBucket!({ Bucket: "idb-data" }, ctx), { code: "NoSuchBucket", status: 404 });
  });
});

test("objects: put (buffer, string, stream), get, range, head, overwrite, delete, errors", async () => {
  await withS3(async ({ service: { operations: s3 } }) => {
    await rejectsWith(s3.PutObject!({ Bucket: "nope-bucket", Key: "k", Body: "x" }, ctx), {
      code: "NoSuchBucket",
      status: 404,
    });
    await s3.CreateBucket!({ Bucket: "objs" }, ctx);
    const put = await s3.PutObject!(
      {
        Bucket: "objs",
        Key: "dir/hello.csv",
        Body: Buffer.from("id,email\n1,a\n"),
        ContentType: "text/csv",
        Metadata: { owner: "t" },
      },
      ctx,
    );
    assert.equal(put.ETag, `"${md5("id,email\n1,a\n")}"`);
    const got = await s3.GetObject!({ Bucket: "objs", Key: "dir/hello.csv" }, ctx);
    assert.equal(await text(got.Body), "id,email\n1,a\n");
    assert.equal(got.ContentLength, 13);
    assert.equal(got.ContentType, "text/csv");
    assert.deepEqual(got.Metadata, { owner: "t" });
    assert.ok(got.LastModified instanceof Date);
    const ranged = await s3.GetObject!({ Bucket: "objs", Key: "dir/hello.csv", Range: "bytes=3-7" }, ctx);
    assert.equal(await text(ranged.Body), "email");
    assert.equal(ranged.ContentRange, "bytes 3-7/13");
    await rejectsWith(s3.GetObject!({ Bucket: "objs", Key: "dir/hello.csv", Range: "bytes=99-" }, ctx), {
      code: "InvalidRange",
      status: 416,
    });

    await s3.PutObject!(
      {
        Bucket: "objs",
        Key: "dir/hello.csv",
        Body: Readable.from([Buffer.from("new "), Buffer.from("body")]),
      },
      ctx,
    );
    const head = await s3.HeadObject!({ Bucket: "objs", Key: "dir/hello.csv" }, ctx);
    assert.equal(head.ContentLength, 8);
    assert.equal(head.ETag, `"${md5("new body")}"`);
    assert.equal(head.ContentType, "binary/octet-stream");

    await rejectsWith(s3.GetObject!({ Bucket: "objs", Key: "missing" }, ctx), {
      code: "NoSuchKey",
      status: 404,
    });
    await rejectsWith(s3.PutObject!({ Bucket: "objs", Key: "k".repeat(1025), Body: "x" }, ctx), {
      code: "KeyTooLongError",
      status: 400,
    });
    await rejectsWith(s3.HeadObject!({ Bucket: "objs", Key: "missing" }, ctx), {
      code: "NotFound",
      status: 404,
    });
    assert.deepEqual(
      await s3.DeleteObject!({ Bucket: "objs", Key: "missing" }, ctx),
      {},
      "deleting a missing key succeeds",
    );
    await s3.DeleteObject!({ Bucket: "objs", Key: "dir/hello.csv" }, ctx);
    await rejectsWith(s3.GetObject!({ Bucket: "objs", Key: "dir/hello.csv" }, ctx), {
      code: "NoSuchKey",
      status: 404,
    });
  });
});

test("ListObjectsV2: prefix, delimiter, paging with continuation tokens, StartAfter; DeleteObjects; CopyObject", async () => {
  await withS3(async ({ service: { operations: s3 } }) => {
    await s3.CreateBucket!({ Bucket: "list" }, ctx);
    const keys = ["a/1.csv", "a/2.csv", "a/b/3.csv", "c.csv", "d/4.csv", "d/5.csv", "e.csv"];
    for (const Key of keys) await s3.PutObject!({ Bucket: "list", Key, Body: Key }, ctx);

    const all = await s3.ListObjectsV2!({ Bucket: "list" }, ctx);
    assert.deepEqual(
      all.Contents.map((c: { Key: string }) => c.Key),
      keys,
    );
    assert.equal(all.KeyCount, 7);
    assert.equal(all.IsTruncated, false);

    const top = await s3.ListObjectsV2!({ Bucket: "list", Delimiter: "/" }, ctx);
    assert.deepEqual(
      top.Contents.map((c: { Key: string }) => c.Key),
      ["c.csv", "e.csv"],
    );
    assert.deepEqual(top.CommonPrefixes, [{ Prefix: "a/" }, { Prefix: "d/" }]);

    const inA = await s3.ListObjectsV2!({ Bucket: "list", Prefix: "a/", Delimiter: "/" }, ctx);
    assert.deepEqual(
      inA.Contents.map((c: { Key: string }) => c.Key),
      ["a/1.csv", "a/2.csv"],
    );
    assert.deepEqual(inA.CommonPrefixes, [{ Prefix: "a/b/" }]);

    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await s3.ListObjectsV2!(
        { Bucket: "list", Delimiter: "/", MaxKeys: 1, ContinuationToken: token },
        ctx,
      );
      pages.push([
        ...page.Contents.map((c: { Key: string }) => c.Key),
        ...page.CommonPrefixes.map((p: { Prefix: string }) => p.Prefix),
      ]);
      token = page.NextContinuationToken;
      assert.equal(page.IsTruncated, token !== undefined);
    } while (token);
    assert.deepEqual(pages, [["a/"], ["c.csv"], ["d/"], ["e.csv"]]);

    const none = await s3.ListObjectsV2!({ Bucket: "list", MaxKeys: 0 }, ctx);
    assert.deepEqual([none.KeyCount, none.IsTruncated, none.NextContinuationToken], [0, false, undefined]);

    const after = await s3.ListObjectsV2!({ Bucket: "list", StartAfter: "d/4.csv" }, ctx);
    assert.deepEqual(
      after.Contents.map((c: { Key: string }) => c.Key),
      ["d/5.csv", "e.csv"],
    );

    await s3.PutObject!({ Bucket: "list", Key: "f/a b&c.csv", Body: "x" }, ctx);
    const encoded = await s3.ListObjectsV2!({ Bucket: "list", Prefix: "f/", EncodingType: "url" }, ctx);
    assert.deepEqual(
      encoded.Contents.map((c: { Key: string }) => c.Key),
      ["f/a%20b%26c.csv"],
    );
    assert.equal(encoded.EncodingType, "url");
    await s3.DeleteObject!({ Bucket: "list", Key: "f/a b&c.csv" }, ctx);

    const copied = await s3.CopyObject!({ Bucket: "list", Key: "copy.csv", CopySource: "list/c.csv" }, ctx);
    assert.equal(copied.CopyObjectResult.ETag, `"${md5("c.csv")}"`);
    assert.equal(await text((await s3.GetObject!({ Bucket: "list", Key: "copy.csv" }, ctx)).Body), "c.csv");

    const deleted = await s3.DeleteObjects!(
      { Bucket: "list", Delete: { Objects: [{ Key: "a/1.csv" }, { Key: "zz" }] } },
      ctx,
    );
    assert.deepEqual(deleted.Deleted, [{ Key: "a/1.csv" }, { Key: "zz" }]);
    const rest = await s3.ListObjectsV2!({ Bucket: "list", Prefix: "a/" }, ctx);
    assert.deepEqual(
      rest.Contents.map((c: { Key: string }) => c.Key),
      ["a/2.csv", "a/b/3.csv"],
    );
    await rejectsWith(s3.ListObjectsV2!({ Bucket: "nope-bucket" }, ctx), {
      code: "NoSuchBucket",
      status: 404,
    });
  });
});

test("multipart upload: parts, ETag md5-of-md5s-N, ordering and size rules, abort", async () => {
  await withS3(async ({ service: { operations: s3 } }) => {
    await s3.CreateBucket!({ Bucket: "mpu" }, ctx);
    const { UploadId } = await s3.CreateMultipartUpload!(
      { Bucket: "mpu", Key: "big.parquet", ContentType: "application/octet-stream" },
      ctx,
    );
    const part1 = Buffer.alloc(MIN_PART_BYTES, 1);
    const part2 = Buffer.from("tail");
    const e1 = (
      await s3.UploadPart!({ Bucket: "mpu", Key: "big.parquet", UploadId, PartNumber: 1, Body: part1 }, ctx)
    ).ETag;
    const e2 = (
      await s3.UploadPart!({ Bucket: "mpu", Key: "big.parquet", UploadId, PartNumber: 2, Body: part2 }, ctx)
    ).ETag;
    assert.equal((await s3.ListMultipartUploads!({ Bucket: "mpu" }, ctx)).Uploads.length, 1);
    await rejectsWith(
      s3.CompleteMultipartUpload!(
        {
          Bucket: "mpu",
          Key: "big.parquet",
          UploadId,
          MultipartUpload: {
            Parts: [
              { PartNumber: 2, ETag: e2 },
              { PartNumber: 1, ETag: e1 },
            ],
          },
        },
        ctx,
      ),
      { code: "InvalidPartOrder", status: 400 },
    );
    await rejectsWith(
      s3.CompleteMultipartUpload!(
        {
          Bucket: "mpu",
          Key: "big.parquet",
          UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"00"' }] },
        },
        ctx,
      ),
      { code: "InvalidPart", status: 400 },
    );
    const done = await s3.CompleteMultipartUpload!(
      {
        Bucket: "mpu",
        Key: "big.parquet",
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: e1 },
            { PartNumber: 2, ETag: e2 },
          ],
        },
      },
      ctx,
    );
    const expected = createHash("md5")
      .update(
        Buffer.concat([createHash("md5").update(part1).digest(), createHash("md5").update(part2).digest()]),
      )
      .digest("hex");
    assert.equal(done.ETag, `"${expected}-2"`);
    const head = await s3.HeadObject!({ Bucket: "mpu", Key: "big.parquet" }, ctx);
    assert.equal(head.ContentLength, MIN_PART_BYTES + 4);
    assert.equal(head.ContentType, "application/octet-stream");
    assert.equal((await s3.ListMultipartUploads!({ Bucket: "mpu" }, ctx)).Uploads.length, 0);
    await rejectsWith(
      s3.UploadPart!({ Bucket: "mpu", Key: "big.parquet", UploadId, PartNumber: 3, Body: "x" }, ctx),
      { code: "NoSuchUpload", status: 404 },
    );

    const small = await s3.CreateMultipartUpload!({ Bucket: "mpu", Key: "small" }, ctx);
    const s1 = (
      await s3.UploadPart!(
        { Bucket: "mpu", Key: "small", UploadId: small.UploadId, PartNumber: 1, Body: "a" },
        ctx,
      )
    ).ETag;
    const s2 = (
      await s3.UploadPart!(
        { Bucket: "mpu", Key: "small", UploadId: small.UploadId, PartNumber: 2, Body: "b" },
        ctx,
      )
    ).ETag;
    await rejectsWith(
      s3.CompleteMultipartUpload!(
        {
          Bucket: "mpu",
          Key: "small",
          UploadId: small.UploadId,
          MultipartUpload: {
            Parts: [
              { PartNumber: 1, ETag: s1 },
              { PartNumber: 2, ETag: s2 },
            ],
          },
        },
        ctx,
      ),
      { code: "EntityTooSmall", status: 400 },
    );
    await s3.AbortMultipartUpload!({ Bucket: "mpu", Key: "small", UploadId: small.UploadId }, ctx);
    await rejectsWith(
      s3.AbortMultipartUpload!({ Bucket: "mpu", Key: "small", UploadId: small.UploadId }, ctx),
      { code: "NoSuchUpload", status: 404 },
    );
  });
});

test("deps view: files under a prefix keep their extension; putObjectFromFile; orphan blobs removed on open", async () => {
  await withS3(async (s3, store, home) => {
    const ops = s3.service.operations;
    await ops.CreateBucket!({ Bucket: "deps" }, ctx);
    await ops.PutObject!({ Bucket: "deps", Key: "in/part-0.parquet", Body: "p0" }, ctx);
    await ops.PutObject!({ Bucket: "deps", Key: "in/", Body: "" }, ctx);
    await ops.PutObject!({ Bucket: "deps", Key: "other/x.csv", Body: "x" }, ctx);
    const files = await s3.listObjectFiles("s3://deps/in/");
    assert.equal(files.length, 1);
    assert.match(files[0]!, /\.parquet$/);
    assert.equal(readFileSync(files[0]!, "utf8"), "p0");
    await rejectsWith(s3.listObjectFiles("s3://nope-bucket/x"), { code: "NoSuchBucket", status: 404 });

    const local = join(home, "local.csv");
    writeFileSync(local, "id\n1\n");
    await s3.putObjectFromFile("s3://deps/out/result.csv", local);
    const got = await ops.GetObject!({ Bucket: "deps", Key: "out/result.csv" }, ctx);
    assert.equal(await text(got.Body), "id\n1\n");
    assert.equal(got.ETag, `"${md5("id\n1\n")}"`);

    const orphan = join(store.blobDir("s3"), "orphan.csv");
    writeFileSync(orphan, "left by a crash");
    createS3(store);
    assert.throws(() => readFileSync(orphan), /ENOENT/);
    assert.equal(readFileSync((await s3.listObjectFiles("s3://deps/in/"))[0]!, "utf8"), "p0");
  });
});

test("stored objects are readable by their owner only (0600), however they were written", async () => {
  await withS3(async (s3, _store, home) => {
    const ops = s3.service.operations;
    await ops.CreateBucket!({ Bucket: "private" }, ctx);
    await ops.PutObject!({ Bucket: "private", Key: "put/a.csv", Body: "a" }, ctx);
    await ops.CopyObject!({ Bucket: "private", Key: "copy/a.csv", CopySource: "private/put/a.csv" }, ctx);
    const local = join(home, "local.csv");
    writeFileSync(local, "b", { mode: 0o644 });
    await s3.putObjectFromFile("s3://private/file/b.csv", local);
    const files = await s3.listObjectFiles("s3://private/");
    assert.equal(files.length, 3);
    for (const file of files) assert.equal(statSync(file).mode & 0o777, 0o600, `${file} mode`);
  });
});
