import { AwsError } from "../../aws-error.ts";
import { isAwsError } from "../../kit/aws-errors.ts";
import type { caller } from "../../kit/calls.ts";
import type { ApiObject } from "../../kit/shapes.ts";
import type { RequestContext } from "../../service.ts";

type Call = ReturnType<typeof caller>;
type Model = Record<string, unknown>;

/**
 * The AWS::S3::Bucket properties S3 itself keeps, each as its bucket subresource: how the
 * CloudFormation value travels in S3's Put* call and back from its Get* answer (shapes: botocore
 * s3 2006-03-01). Listed in the order they must be applied: Object Lock needs versioning on.
 */
interface Subresource {
  properties: readonly string[];
  get: string;
  /** The error code Get answers while the bucket has none. */
  unset?: string;
  read(output: ApiObject): Model;
  write(desired: Model, current: Model, bucket: string, call: Call, ctx: RequestContext): Promise<void>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A property kept by one Put/Delete pair whose S3 value maps one to one. */
function simple(
  property: string,
  ops: { get: string; put: string; delete: string; unset: string; member: string },
  toS3: (value: ApiObject) => unknown,
  fromS3: (output: ApiObject) => unknown,
): Subresource {
  return {
    properties: [property],
    get: ops.get,
    unset: ops.unset,
    read: (output) => ({ [property]: fromS3(output) }),
    async write(desired, current, bucket, call, ctx) {
      const value = desired[property];
      if (same(value, current[property])) return;
      if (value === undefined) await call(ops.delete, { Bucket: bucket }, ctx);
      else await call(ops.put, { Bucket: bucket, [ops.member]: toS3(value as ApiObject) }, ctx);
    },
  };
}

export const SUBRESOURCES: readonly Subresource[] = [
  {
    properties: ["VersioningConfiguration"],
    get: "GetBucketVersioning",
    read: (output) => ({ VersioningConfiguration: output.Status ? { Status: output.Status } : undefined }),
    async write(desired, current, bucket, call, ctx) {
      const wanted = desired.VersioningConfiguration as { Status: string } | undefined;
      const now = current.VersioningConfiguration as { Status: string } | undefined;
      // A versioned bucket never returns to unversioned; it can only be suspended (Amazon S3 User
      // Guide, "Working with objects in a versioning-enabled bucket").
      const next = wanted ?? (now?.Status === "Enabled" ? { Status: "Suspended" } : undefined);
      if (next && !same(next, now))
        await call("PutBucketVersioning", { Bucket: bucket, VersioningConfiguration: next }, ctx);
    },
  },
  {
    properties: ["ObjectLockEnabled", "ObjectLockConfiguration"],
    get: "GetObjectLockConfiguration",
    unset: "ObjectLockConfigurationNotFoundError",
    read: (output) => {
      const configuration = output.ObjectLockConfiguration as ApiObject | undefined;
      const enabled = configuration?.ObjectLockEnabled === "Enabled";
      return {
        ObjectLockEnabled: enabled ? true : undefined,
        ObjectLockConfiguration: enabled ? configuration : undefined,
      };
    },
    async write(desired, current, bucket, call, ctx) {
      const wanted = desired.ObjectLockConfiguration as ApiObject | undefined;
      const enable = desired.ObjectLockEnabled === true || wanted !== undefined;
      if (current.ObjectLockEnabled === true && desired.ObjectLockEnabled === false) {
        // "After you enable Object Lock on a bucket, you can't disable Object Lock" (Amazon S3 User Guide).
        throw new AwsError(
          "InvalidRequest",
          `Object Lock is enabled on bucket ${bucket} and cannot be disabled; set ObjectLockEnabled to true or leave it out.`,
          400,
        );
      }
      if (!enable && current.ObjectLockEnabled !== true) return;
      // With Object Lock on, leaving the configuration out removes its default retention rule.
      const next = { ...(wanted ?? {}), ObjectLockEnabled: "Enabled" };
      if (!same(next, current.ObjectLockConfiguration))
        await call("PutObjectLockConfiguration", { Bucket: bucket, ObjectLockConfiguration: next }, ctx);
    },
  },
  simple(
    "Tags",
    {
      get: "GetBucketTagging",
      put: "PutBucketTagging",
      delete: "DeleteBucketTagging",
      unset: "NoSuchTagSet",
      member: "Tagging",
    },
    (tags) => ({ TagSet: tags }),
    (output) => output.TagSet,
  ),
  simple(
    "BucketEncryption",
    {
      get: "GetBucketEncryption",
      put: "PutBucketEncryption",
      delete: "DeleteBucketEncryption",
      unset: "ServerSideEncryptionConfigurationNotFoundError",
      member: "ServerSideEncryptionConfiguration",
    },
    (encryption) => ({
      Rules: (encryption.ServerSideEncryptionConfiguration as ApiObject[]).map(
        ({ ServerSideEncryptionByDefault, ...rule }) => ({
          ...rule,
          ...(ServerSideEncryptionByDefault
            ? { ApplyServerSideEncryptionByDefault: ServerSideEncryptionByDefault }
            : {}),
        }),
      ),
    }),
    (output) => ({
      ServerSideEncryptionConfiguration: (output.ServerSideEncryptionConfiguration.Rules as ApiObject[]).map(
        ({ ApplyServerSideEncryptionByDefault, ...rule }) => ({
          ...rule,
          ...(ApplyServerSideEncryptionByDefault
            ? { ServerSideEncryptionByDefault: ApplyServerSideEncryptionByDefault }
            : {}),
        }),
      ),
    }),
  ),
  simple(
    "PublicAccessBlockConfiguration",
    {
      get: "GetPublicAccessBlock",
      put: "PutPublicAccessBlock",
      delete: "DeletePublicAccessBlock",
      unset: "NoSuchPublicAccessBlockConfiguration",
      member: "PublicAccessBlockConfiguration",
    },
    (block) => block,
    (output) => output.PublicAccessBlockConfiguration,
  ),
  simple(
    "OwnershipControls",
    {
      get: "GetBucketOwnershipControls",
      put: "PutBucketOwnershipControls",
      delete: "DeleteBucketOwnershipControls",
      unset: "OwnershipControlsNotFoundError",
      member: "OwnershipControls",
    },
    (controls) => controls,
    (output) => output.OwnershipControls,
  ),
];

/** The properties S3 keeps (the rest of a bucket's model is kept beside it). */
export const SUBRESOURCE_PROPERTIES: ReadonlySet<string> = new Set(SUBRESOURCES.flatMap((s) => s.properties));

/** The S3-kept properties of a bucket, read through S3's Get* operations. */
export async function readSubresources(call: Call, bucket: string, ctx: RequestContext): Promise<Model> {
  const out: Model = {};
  for (const sub of SUBRESOURCES) {
    let output: ApiObject;
    try {
      output = await call(sub.get, { Bucket: bucket }, ctx);
    } catch (error) {
      if (sub.unset && isAwsError(error, sub.unset)) continue;
      throw error;
    }
    for (const [name, value] of Object.entries(sub.read(output))) if (value !== undefined) out[name] = value;
  }
  return out;
}

/** Brings the S3-kept properties of a bucket to the desired state, in S3's order. */
export async function writeSubresources(
  call: Call,
  bucket: string,
  desired: Model,
  ctx: RequestContext,
): Promise<void> {
  for (const sub of SUBRESOURCES) {
    const current = await readSubresources(call, bucket, ctx);
    await sub.write(desired, current, bucket, call, ctx);
  }
}
