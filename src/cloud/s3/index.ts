import { createHash, randomBytes } from "node:crypto";
import { createReadStream, fstatSync, openSync, rmSync } from "node:fs";
import { join } from "node:path";
import { AwsError } from "../aws-error.ts";
import { requireString } from "../kit/inputs.ts";
import { decodePageToken, encodePageToken } from "../kit/paging.ts";
import type { ResourceProvider } from "../provider.ts";
import type { AwsService, Operation, RequestContext } from "../service.ts";
import type { Store } from "../store.ts";
import {
  type BodyInput,
  concatBlobs,
  copyIntoBlob,
  duplicateBlob,
  removeOrphanBlobs,
  type WrittenBlob,
  writeBlob,
} from "./blob.ts";
import {
  BUCKET_CONFIGURATION,
  bucketConfigurationKeys,
  bucketConfigurationOperations,
} from "./bucket-configuration.ts";
import { assertBucketName, parseS3Uri } from "./bucket-name.ts";
import { bucketProvider } from "./providers/bucket.ts";

export { parseS3Uri } from "./bucket-name.ts";

type Input = Parameters<Operation>[0];

const BUCKETS = "s3.buckets";
const OBJECTS = "s3.objects";
const UPLOADS = "s3.uploads";
const PARTS = "s3.parts";

/** S3's minimum size of every part but the last (CompleteMultipartUpload → EntityTooSmall). */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PART_NUMBER = 10_000;
const MAX_DELETE_OBJECTS = 1000;

export interface BucketRecord {
  Name: string;
  CreationDate: string;
  Region: string;
}

export interface ObjectRecord {
  Key: string;
  Size: number;
  ETag: string;
  LastModified: string;
  ContentType: string;
  Metadata?: Record<string, string>;
  ContentEncoding?: string;
  ContentDisposition?: string;
  CacheControl?: string;
  blob: string;
}

interface UploadRecord {
  Bucket: string;
  Key: string;
  UploadId: string;
  Initiated: string;
  ContentType: string;
  Metadata?: Record<string, string>;
}

interface PartRecord {
  PartNumber: number;
  ETag: string;
  Size: number;
  LastModified: string;
  blob: string;
}

const objectKey = (bucket: string, key: string) => `${bucket}/${key}`;
const partKey = (uploadId: string, part: number) => `${uploadId}/${String(part).padStart(5, "0")}`;
const quote = (hex: string) => `"${hex}"`;
const unquote = (etag: string) => etag.replace(/^"|"$/g, "");

const noSuchBucket = (bucket: string) =>
  new AwsError("NoSuchBucket", "The specified bucket does not exist", 404, { BucketName: bucket });
const noSuchKey = (key: string) =>
  new AwsError("NoSuchKey", "The specified key does not exist.", 404, { Key: key });
const noSuchUpload = (uploadId: string) =>
  new AwsError(
    "NoSuchUpload",
    "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
    404,
    { UploadId: uploadId },
  );

/** S3 object keys are at most 1,024 bytes of UTF-8. */
const MAX_KEY_BYTES = 1024;

function requireKey(input: Record<string, unknown>): string {
  const key = requireMember(input, "Key");
  if (Buffer.byteLength(key, "utf8") > MAX_KEY_BYTES) {
    throw new AwsError("KeyTooLongError", "Your key is too long", 400, {
      Size: Buffer.byteLength(key),
      MaxSizeAllowed: MAX_KEY_BYTES,
    });
  }
  return key;
}

/** A required string member of an S3 request; S3 names a missing one in InvalidArgument's ArgumentName. */
const requireMember = (input: Record<string, unknown>, member: string): string =>
  requireString(input, member, {
    reject: (name) => new AwsError("InvalidArgument", `${name} is required`, 400, { ArgumentName: name }),
  });

function objectMeta(record: ObjectRecord) {
  return {
    ContentLength: record.Size,
    ContentType: record.ContentType,
    ETag: record.ETag,
    LastModified: new Date(record.LastModified),
    Metadata: record.Metadata ?? {},
    ...(record.ContentEncoding ? { ContentEncoding: record.ContentEncoding } : {}),
    ...(record.ContentDisposition ? { ContentDisposition: record.ContentDisposition } : {}),
    ...(record.CacheControl ? { CacheControl: record.CacheControl } : {}),
    AcceptRanges: "bytes",
  };
}

/** "bytes=a-b", "bytes=a-", "bytes=-n" (RFC 9110 §14.1.2); a single range, as S3 supports. */
function parseRange(range: string, size: number): { start: number; end: number } {
  const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  const invalid = () =>
    new AwsError("InvalidRange", "The requested range is not satisfiable", 416, { RangeRequested: range });
  if (!match || (match[1] === "" && match[2] === "")) throw invalid();
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0) throw invalid();
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) throw invalid();
  return { start, end };
}

export interface S3 {
  readonly service: AwsService;
  /** The Cloud Control provider of AWS::S3::Bucket. */
  readonly providers: ResourceProvider[];
  /** Local file paths of the objects under s3://bucket/prefix (NoSuchBucket if the bucket is missing). */
  listObjectFiles(s3Uri: string): Promise<string[]>;
  /** The objects under s3://bucket/prefix, each as its s3:// URI and the local file that holds its body. */
  listObjectsWithFiles(s3Uri: string): Promise<ObjectFile[]>;
  putObjectFromFile(s3Uri: string, file: string): Promise<void>;
}

export interface ObjectFile {
  /** s3://bucket/key of the object. */
  s3Uri: string;
  /** The local file holding its body (internal: never shown to callers). */
  file: string;
}

/** The S3 service: buckets and objects, object bodies as files under the store's blob dir. */
export function createS3(store: Store): S3 {
  const dir = store.blobDir("s3");
  const referenced = new Set<string>();
  for (const [, o] of store.list<ObjectRecord>(OBJECTS)) referenced.add(o.blob);
  for (const [, p] of store.list<PartRecord>(PARTS)) referenced.add(p.blob);
  removeOrphanBlobs(dir, referenced);

  const bucketOf = (bucket: string): BucketRecord => {
    const record = store.get<BucketRecord>(BUCKETS, bucket);
    if (!record) throw noSuchBucket(bucket);
    return record;
  };
  const objectFiles = (s3Uri: string): ObjectFile[] => {
    const { bucket, key } = parseS3Uri(s3Uri);
    bucketOf(bucket);
    return store
      .list<ObjectRecord>(OBJECTS, objectKey(bucket, key))
      .filter(([, o]) => !(o.Key.endsWith("/") && o.Size === 0))
      .map(([, o]) => ({ s3Uri: `s3://${bucket}/${o.Key}`, file: join(dir, o.blob) }));
  };
  const dropBlobs = (names: Array<string | undefined>) => {
    for (const name of names) if (name) rmSync(join(dir, name), { force: true });
  };

  /** Records a written blob as the object, replacing (and deleting) any previous version. */
  async function commitObject(
    bucket: string,
    key: string,
    blob: WrittenBlob,
    etag: string,
    attributes: Partial<ObjectRecord>,
  ): Promise<ObjectRecord> {
    const record: ObjectRecord = {
      Key: key,
      Size: blob.size,
      ETag: etag,
      LastModified: new Date().toISOString(),
      ContentType: "binary/octet-stream",
      ...attributes,
      blob: blob.name,
    };
    let replaced: string | undefined;
    try {
      await store.transact((tx) => {
        if (!tx.get(BUCKETS, bucket)) throw noSuchBucket(bucket);
        replaced = tx.get<ObjectRecord>(OBJECTS, objectKey(bucket, key))?.blob;
        tx.put(OBJECTS, objectKey(bucket, key), record);
      });
    } catch (error) {
      dropBlobs([blob.name]);
      throw error;
    }
    dropBlobs([replaced]);
    return record;
  }

  function objectAttributes(input: Input): Partial<ObjectRecord> {
    const attributes: Partial<ObjectRecord> = {};
    if (typeof input.ContentType === "string") attributes.ContentType = input.ContentType;
    if (input.Metadata && typeof input.Metadata === "object") attributes.Metadata = { ...input.Metadata };
    if (typeof input.ContentEncoding === "string") attributes.ContentEncoding = input.ContentEncoding;
    if (typeof input.ContentDisposition === "string")
      attributes.ContentDisposition = input.ContentDisposition;
    if (typeof input.CacheControl === "string") attributes.CacheControl = input.CacheControl;
    return attributes;
  }

  const readObject = (input: Input): ObjectRecord => {
    const bucket = requireMember(input, "Bucket");
    const key = requireMember(input, "Key");
    bucketOf(bucket);
    const record = store.get<ObjectRecord>(OBJECTS, objectKey(bucket, key));
    if (!record) throw noSuchKey(key);
    return record;
  };

  const operations: Record<string, Operation> = {
    async CreateBucket(input, ctx) {
      const bucket = input.Bucket;
      assertBucketName(bucket);
      const region: string = input.CreateBucketConfiguration?.LocationConstraint || ctx.region;
      await store.transact((tx) => {
        if (tx.get(BUCKETS, bucket)) {
          throw new AwsError(
            "BucketAlreadyOwnedByYou",
            "Your previous request to create the named bucket succeeded and you already own it.",
            409,
            { BucketName: bucket },
          );
        }
        tx.put<BucketRecord>(BUCKETS, bucket, {
          Name: bucket,
          CreationDate: new Date().toISOString(),
          Region: region,
        });
        // x-amz-bucket-object-lock-enabled turns Object Lock on, and with it versioning (S3 CreateBucket).
        if (input.ObjectLockEnabledForBucket === true) {
          tx.put(BUCKET_CONFIGURATION, `${bucket}/versioning`, { Status: "Enabled" });
          tx.put(BUCKET_CONFIGURATION, `${bucket}/objectLock`, { ObjectLockEnabled: "Enabled" });
        }
      });
      return { Location: `/${bucket}` };
    },

    async DeleteBucket(input) {
      const bucket = requireMember(input, "Bucket");
      const uploads: string[] = [];
      await store.transact((tx) => {
        if (!tx.get(BUCKETS, bucket)) throw noSuchBucket(bucket);
        if (store.list(OBJECTS, `${bucket}/`).length > 0) {
          throw new AwsError("BucketNotEmpty", "The bucket you tried to delete is not empty", 409, {
            BucketName: bucket,
          });
        }
        for (const [id, upload] of store.list<UploadRecord>(UPLOADS)) {
          if (upload.Bucket !== bucket) continue;
          for (const [k, part] of store.list<PartRecord>(PARTS, `${id}/`)) {
            uploads.push(part.blob);
            tx.delete(PARTS, k);
          }
          tx.delete(UPLOADS, id);
        }
        for (const key of bucketConfigurationKeys(store, bucket)) tx.delete(BUCKET_CONFIGURATION, key);
        tx.delete(BUCKETS, bucket);
      });
      dropBlobs(uploads);
      return {};
    },

    async HeadBucket(input, ctx) {
      const bucket = requireMember(input, "Bucket");
      const record = store.get<BucketRecord>(BUCKETS, bucket);
      // HEAD responses have no body, so S3 answers a bare 404 that SDKs surface as "NotFound".
      if (!record) throw new AwsError("NotFound", "Not Found", 404, { BucketName: bucket });
      return { BucketRegion: record.Region ?? ctx.region, AccessPointAlias: false };
    },

    async ListBuckets(input, ctx) {
      const prefix = typeof input.Prefix === "string" ? input.Prefix : "";
      const buckets = store
        .list<BucketRecord>(BUCKETS)
        .filter(([name]) => name.startsWith(prefix))
        .map(([, b]) => ({ Name: b.Name, CreationDate: new Date(b.CreationDate), BucketRegion: b.Region }));
      return { Buckets: buckets, Owner: { DisplayName: "local", ID: ctx.accountId }, Prefix: input.Prefix };
    },

    async GetBucketLocation(input) {
      const record = bucketOf(requireMember(input, "Bucket"));
      // S3 reports us-east-1 as an empty (null) LocationConstraint.
      return { LocationConstraint: record.Region === "us-east-1" ? null : record.Region };
    },

    async PutObject(input) {
      const bucket = requireMember(input, "Bucket");
      const key = requireKey(input);
      bucketOf(bucket);
      const blob = await writeBlob(dir, key, input.Body as BodyInput);
      const record = await commitObject(
        bucket,
        key,
        blob,
        quote(blob.md5.toString("hex")),
        objectAttributes(input),
      );
      return { ETag: record.ETag };
    },

    async GetObject(input) {
      const record = readObject(input);
      // Open before answering: a concurrent overwrite unlinks the old blob, an open fd still reads it.
      const fd = openSync(join(dir, record.blob), "r");
      const meta = objectMeta(record);
      if (typeof input.Range === "string" && input.Range) {
        const { start, end } = parseRange(input.Range, fstatSync(fd).size);
        return {
          ...meta,
          ContentLength: end - start + 1,
          ContentRange: `bytes ${start}-${end}/${record.Size}`,
          Body: createReadStream("", { fd, start, end }),
        };
      }
      return { ...meta, Body: createReadStream("", { fd }) };
    },

    async HeadObject(input) {
      const bucket = requireMember(input, "Bucket");
      const key = requireMember(input, "Key");
      if (!store.get(BUCKETS, bucket))
        throw new AwsError("NotFound", "Not Found", 404, { BucketName: bucket });
      const record = store.get<ObjectRecord>(OBJECTS, objectKey(bucket, key));
      if (!record) throw new AwsError("NotFound", "Not Found", 404, { Key: key });
      return objectMeta(record);
    },

    async DeleteObject(input) {
      const bucket = requireMember(input, "Bucket");
      const key = requireMember(input, "Key");
      let removed: string | undefined;
      await store.transact((tx) => {
        if (!tx.get(BUCKETS, bucket)) throw noSuchBucket(bucket);
        removed = tx.get<ObjectRecord>(OBJECTS, objectKey(bucket, key))?.blob;
        if (removed) tx.delete(OBJECTS, objectKey(bucket, key));
      });
      dropBlobs([removed]);
      return {};
    },

    async DeleteObjects(input) {
      const bucket = requireMember(input, "Bucket");
      const objects: Array<{ Key?: string }> = input.Delete?.Objects ?? [];
      if (objects.length === 0 || objects.length > MAX_DELETE_OBJECTS) {
        throw new AwsError("MalformedXML", `Delete.Objects must list 1 to ${MAX_DELETE_OBJECTS} keys`, 400);
      }
      const removed: string[] = [];
      const deleted: Array<{ Key: string }> = [];
      const errors: Array<{ Key?: string; Code: string; Message: string }> = [];
      await store.transact((tx) => {
        if (!tx.get(BUCKETS, bucket)) throw noSuchBucket(bucket);
        for (const { Key } of objects) {
          if (typeof Key !== "string" || Key === "") {
            errors.push({ Key, Code: "InvalidArgument", Message: "Key is required" });
            continue;
          }
          const record = tx.get<ObjectRecord>(OBJECTS, objectKey(bucket, Key));
          if (record) {
            removed.push(record.blob);
            tx.delete(OBJECTS, objectKey(bucket, Key));
          }
          deleted.push({ Key });
        }
      });
      dropBlobs(removed);
      return { Deleted: input.Delete?.Quiet ? [] : deleted, Errors: errors };
    },

    async ListObjectsV2(input) {
      const bucket = requireMember(input, "Bucket");
      bucketOf(bucket);
      const prefix: string = input.Prefix ?? "";
      const delimiter: string = input.Delimiter ?? "";
      const maxKeys = Math.min(Math.max(Number(input.MaxKeys ?? 1000), 0), 1000);
      let after: string = input.StartAfter ?? "";
      if (input.ContinuationToken) {
        after = decodePageToken(input.ContinuationToken);
        if (!after)
          throw new AwsError("InvalidArgument", "The continuation token provided is incorrect", 400);
      }
      const contents: Array<Record<string, unknown>> = [];
      const commonPrefixes: string[] = [];
      let last = "";
      let truncated = false;
      for (const [, record] of store.list<ObjectRecord>(OBJECTS, `${bucket}/${prefix}`)) {
        const key = record.Key;
        if (after && (key <= after || (delimiter && after.endsWith(delimiter) && key.startsWith(after))))
          continue;
        const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
        const common = cut >= 0 ? key.slice(0, cut + delimiter.length) : undefined;
        if (common !== undefined && common === commonPrefixes[commonPrefixes.length - 1]) continue;
        if (contents.length + commonPrefixes.length >= maxKeys) {
          // MaxKeys=0 asks for no keys; S3 then answers an empty, untruncated page.
          truncated = maxKeys > 0;
          break;
        }
        if (common !== undefined) {
          commonPrefixes.push(common);
          last = common;
        } else {
          contents.push({
            Key: key,
            LastModified: new Date(record.LastModified),
            ETag: record.ETag,
            Size: record.Size,
            StorageClass: "STANDARD",
          });
          last = key;
        }
      }
      // EncodingType=url: S3 URL-encodes the keys and prefixes it returns (keys may hold XML-hostile characters).
      const encode =
        input.EncodingType === "url"
          ? (v: string) => encodeURIComponent(v).replace(/%2F/g, "/")
          : (v: string) => v;
      for (const c of contents) c.Key = encode(c.Key as string);
      return {
        Name: bucket,
        Prefix: encode(prefix),
        ...(input.EncodingType === "url" ? { EncodingType: "url" } : {}),
        ...(delimiter ? { Delimiter: encode(delimiter) } : {}),
        MaxKeys: maxKeys,
        KeyCount: contents.length + commonPrefixes.length,
        IsTruncated: truncated,
        Contents: contents,
        CommonPrefixes: commonPrefixes.map((p) => ({ Prefix: encode(p) })),
        ...(input.ContinuationToken ? { ContinuationToken: input.ContinuationToken } : {}),
        ...(input.StartAfter ? { StartAfter: encode(input.StartAfter) } : {}),
        ...(truncated ? { NextContinuationToken: encodePageToken(last) } : {}),
      };
    },

    async CopyObject(input) {
      const bucket = requireMember(input, "Bucket");
      const key = requireKey(input);
      const source = decodeURIComponent(requireMember(input, "CopySource").split("?")[0]!).replace(/^\//, "");
      const slash = source.indexOf("/");
      if (slash <= 0) throw new AwsError("InvalidArgument", "CopySource must be bucket/key", 400);
      const from = readObject({ Bucket: source.slice(0, slash), Key: source.slice(slash + 1) });
      bucketOf(bucket);
      const name = await duplicateBlob(dir, key, from.blob);
      const replace = input.MetadataDirective === "REPLACE";
      const attributes = replace
        ? objectAttributes(input)
        : {
            ContentType: from.ContentType,
            Metadata: from.Metadata,
            ContentEncoding: from.ContentEncoding,
            ContentDisposition: from.ContentDisposition,
            CacheControl: from.CacheControl,
          };
      const record = await commitObject(
        bucket,
        key,
        { name, size: from.Size, md5: Buffer.alloc(0) },
        from.ETag,
        JSON.parse(JSON.stringify(attributes)),
      );
      return { CopyObjectResult: { ETag: record.ETag, LastModified: new Date(record.LastModified) } };
    },

    async CreateMultipartUpload(input) {
      const bucket = requireMember(input, "Bucket");
      const key = requireKey(input);
      const uploadId = randomBytes(24).toString("base64url");
      const attributes = objectAttributes(input);
      await store.transact((tx) => {
        if (!tx.get(BUCKETS, bucket)) throw noSuchBucket(bucket);
        tx.put<UploadRecord>(UPLOADS, uploadId, {
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          Initiated: new Date().toISOString(),
          ContentType: attributes.ContentType ?? "binary/octet-stream",
          ...(attributes.Metadata ? { Metadata: attributes.Metadata } : {}),
        });
      });
      return { Bucket: bucket, Key: key, UploadId: uploadId };
    },

    async UploadPart(input) {
      const bucket = requireMember(input, "Bucket");
      const key = requireMember(input, "Key");
      const uploadId = requireMember(input, "UploadId");
      const partNumber = Number(input.PartNumber);
      if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
        throw new AwsError(
          "InvalidArgument",
          `Part number must be an integer between 1 and ${MAX_PART_NUMBER}`,
          400,
          {
            ArgumentName: "partNumber",
          },
        );
      }
      const upload = store.get<UploadRecord>(UPLOADS, uploadId);
      if (!upload || upload.Bucket !== bucket || upload.Key !== key) throw noSuchUpload(uploadId);
      const blob = await writeBlob(dir, key, input.Body as BodyInput);
      const etag = quote(blob.md5.toString("hex"));
      let replaced: string | undefined;
      try {
        await store.transact((tx) => {
          if (!tx.get(UPLOADS, uploadId)) throw noSuchUpload(uploadId);
          replaced = tx.get<PartRecord>(PARTS, partKey(uploadId, partNumber))?.blob;
          tx.put<PartRecord>(PARTS, partKey(uploadId, partNumber), {
            PartNumber: partNumber,
            ETag: etag,
            Size: blob.size,
            LastModified: new Date().toISOString(),
            blob: blob.name,
          });
        });
      } catch (error) {
        dropBlobs([blob.name]);
        throw error;
      }
      dropBlobs([replaced]);
      return { ETag: etag };
    },

    async CompleteMultipartUpload(input, ctx) {
      const bucket = requireMember(input, "Bucket");
      const key = requireMember(input, "Key");
      const uploadId = requireMember(input, "UploadId");
      const upload = store.get<UploadRecord>(UPLOADS, uploadId);
      if (!upload || upload.Bucket !== bucket || upload.Key !== key) throw noSuchUpload(uploadId);
      const requested: Array<{ PartNumber?: number; ETag?: string }> = input.MultipartUpload?.Parts ?? [];
      if (requested.length === 0) {
        throw new AwsError("MalformedXML", "You must specify at least one part", 400);
      }
      const parts: PartRecord[] = [];
      for (const [i, p] of requested.entries()) {
        const previous = requested[i - 1];
        if (previous && Number(p.PartNumber) <= Number(previous.PartNumber)) {
          throw new AwsError("InvalidPartOrder", "The list of parts was not in ascending order.", 400);
        }
        const stored = store.get<PartRecord>(PARTS, partKey(uploadId, Number(p.PartNumber)));
        if (!stored || unquote(String(p.ETag ?? "")) !== unquote(stored.ETag)) {
          throw new AwsError(
            "InvalidPart",
            `Part ${p.PartNumber} could not be found or its ETag does not match the uploaded part.`,
            400,
            { PartNumber: p.PartNumber },
          );
        }
        parts.push(stored);
      }
      for (const part of parts.slice(0, -1)) {
        if (part.Size < MIN_PART_BYTES) {
          throw new AwsError(
            "EntityTooSmall",
            "Your proposed upload is smaller than the minimum allowed object size.",
            400,
            {
              ProposedSize: part.Size,
              MinSizeAllowed: MIN_PART_BYTES,
              PartNumber: part.PartNumber,
            },
          );
        }
      }
      const blob = await concatBlobs(
        dir,
        key,
        parts.map((p) => p.blob),
      );
      // S3's multipart ETag: MD5 of the concatenated binary part MD5s, then "-<part count>".
      const md5s = Buffer.concat(parts.map((p) => Buffer.from(unquote(p.ETag), "hex")));
      const etag = quote(`${createHash("md5").update(md5s).digest("hex")}-${parts.length}`);
      const allParts = store.list<PartRecord>(PARTS, `${uploadId}/`);
      let replaced: string | undefined;
      try {
        await store.transact((tx) => {
          if (!tx.get(UPLOADS, uploadId)) throw noSuchUpload(uploadId);
          if (!tx.get(BUCKETS, bucket)) throw noSuchBucket(bucket);
          replaced = tx.get<ObjectRecord>(OBJECTS, objectKey(bucket, key))?.blob;
          tx.put<ObjectRecord>(OBJECTS, objectKey(bucket, key), {
            Key: key,
            Size: blob.size,
            ETag: etag,
            LastModified: new Date().toISOString(),
            ContentType: upload.ContentType,
            ...(upload.Metadata ? { Metadata: upload.Metadata } : {}),
            blob: blob.name,
          });
          for (const [k] of allParts) tx.delete(PARTS, k);
          tx.delete(UPLOADS, uploadId);
        });
      } catch (error) {
        dropBlobs([blob.name]);
        throw error;
      }
      dropBlobs([replaced, ...allParts.map(([, p]) => p.blob)]);
      return {
        Location: `http://${bucket}.s3.${ctx.region}.amazonaws.com/${encodeURIComponent(key)}`,
        Bucket: bucket,
        Key: key,
        ETag: etag,
      };
    },

    async AbortMultipartUpload(input) {
      const uploadId = requireMember(input, "UploadId");
      const bucket = requireMember(input, "Bucket");
      const parts = store.list<PartRecord>(PARTS, `${uploadId}/`);
      await store.transact((tx) => {
        const upload = tx.get<UploadRecord>(UPLOADS, uploadId);
        if (!upload || upload.Bucket !== bucket) throw noSuchUpload(uploadId);
        for (const [k] of parts) tx.delete(PARTS, k);
        tx.delete(UPLOADS, uploadId);
      });
      dropBlobs(parts.map(([, p]) => p.blob));
      return {};
    },

    async ListMultipartUploads(input) {
      const bucket = requireMember(input, "Bucket");
      bucketOf(bucket);
      const prefix: string = input.Prefix ?? "";
      const uploads = store
        .list<UploadRecord>(UPLOADS)
        .map(([, u]) => u)
        .filter((u) => u.Bucket === bucket && u.Key.startsWith(prefix))
        .sort((a, b) => (a.Key === b.Key ? a.Initiated.localeCompare(b.Initiated) : a.Key < b.Key ? -1 : 1))
        .map((u) => ({
          Key: u.Key,
          UploadId: u.UploadId,
          Initiated: new Date(u.Initiated),
          StorageClass: "STANDARD",
        }));
      return { Bucket: bucket, Prefix: prefix, Uploads: uploads, IsTruncated: false, MaxUploads: 1000 };
    },

    async ListParts(input) {
      const uploadId = requireMember(input, "UploadId");
      const upload = store.get<UploadRecord>(UPLOADS, uploadId);
      if (!upload) throw noSuchUpload(uploadId);
      const parts = store.list<PartRecord>(PARTS, `${uploadId}/`).map(([, p]) => ({
        PartNumber: p.PartNumber,
        ETag: p.ETag,
        Size: p.Size,
        LastModified: new Date(p.LastModified),
      }));
      return { Bucket: upload.Bucket, Key: upload.Key, UploadId: uploadId, Parts: parts, IsTruncated: false };
    },
  };

  Object.assign(operations, bucketConfigurationOperations(store, bucketOf));
  const service: AwsService = { signingName: "s3", operations };
  return {
    service,
    providers: [bucketProvider(service, store)],

    async listObjectFiles(s3Uri) {
      return objectFiles(s3Uri).map((object) => object.file);
    },

    async listObjectsWithFiles(s3Uri) {
      return objectFiles(s3Uri);
    },

    async putObjectFromFile(s3Uri, file) {
      const { bucket, key } = parseS3Uri(s3Uri);
      if (!key) throw new AwsError("ValidationException", `${s3Uri} names no object key`, 400);
      bucketOf(bucket);
      const blob = await copyIntoBlob(dir, key, file);
      await commitObject(bucket, key, blob, quote(blob.md5.toString("hex")), {});
    },
  };
}

export type { RequestContext };
