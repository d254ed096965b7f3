import { AwsError } from "../aws-error.ts";
import type { Operation } from "../service.ts";
import type { Store } from "../store.ts";

/** Bucket subresources (versioning, tagging, …), one record per bucket and subresource. */
export const BUCKET_CONFIGURATION = "s3.bucketConfiguration";

interface Subresource {
  put: string;
  get: string;
  delete?: string;
  /** The input member holding the configuration, and the output member it comes back in. */
  member: string;
  /** What Get answers for a bucket that never had one: members of the output, or S3's not-found error. */
  unset: Record<string, unknown> | (() => AwsError);
  /** Get answers the configuration's members at the top level (not inside `member`). */
  flat?: boolean;
  check?(value: Record<string, unknown>, bucket: string, stored: (name: string) => unknown): void;
}

const malformed = () =>
  new AwsError(
    "MalformedXML",
    "The XML you provided was not well-formed or did not validate against our published schema.",
    400,
  );

// Operations, members and error codes: botocore's s3 2006-03-01 model and the Amazon S3 API
// Reference's error code list (NoSuchTagSet, ServerSideEncryptionConfigurationNotFoundError, …).
const SUBRESOURCES: Record<string, Subresource> = {
  versioning: {
    put: "PutBucketVersioning",
    get: "GetBucketVersioning",
    member: "VersioningConfiguration",
    // A bucket that never had versioning answers an empty VersioningConfiguration.
    unset: {},
    flat: true,
    check(value, bucket, stored) {
      if (!["Enabled", "Suspended"].includes(String(value.Status))) throw malformed();
      const lock = stored("objectLock") as { ObjectLockEnabled?: string } | undefined;
      if (value.Status === "Suspended" && lock?.ObjectLockEnabled === "Enabled") {
        throw new AwsError(
          "InvalidBucketState",
          `An Object Lock configuration is present on bucket ${bucket}, so versioning cannot be suspended.`,
          409,
        );
      }
    },
  },
  tagging: {
    put: "PutBucketTagging",
    get: "GetBucketTagging",
    delete: "DeleteBucketTagging",
    member: "Tagging",
    unset: () => new AwsError("NoSuchTagSet", "The TagSet does not exist", 404),
    flat: true,
    check(value) {
      const tags = (value.TagSet ?? []) as Array<{ Key?: unknown }>;
      if (!Array.isArray(tags)) throw malformed();
      const keys = tags.map((tag) => tag.Key);
      if (new Set(keys).size !== keys.length)
        throw new AwsError("InvalidTag", "Cannot provide multiple Tags with the same key", 400);
    },
  },
  encryption: {
    put: "PutBucketEncryption",
    get: "GetBucketEncryption",
    delete: "DeleteBucketEncryption",
    member: "ServerSideEncryptionConfiguration",
    unset: () =>
      new AwsError(
        "ServerSideEncryptionConfigurationNotFoundError",
        "The server side encryption configuration was not found",
        404,
      ),
    check(value) {
      if (!Array.isArray(value.Rules) || value.Rules.length === 0) throw malformed();
    },
  },
  publicAccessBlock: {
    put: "PutPublicAccessBlock",
    get: "GetPublicAccessBlock",
    delete: "DeletePublicAccessBlock",
    member: "PublicAccessBlockConfiguration",
    unset: () =>
      new AwsError(
        "NoSuchPublicAccessBlockConfiguration",
        "The public access block configuration was not found",
        404,
      ),
  },
  ownershipControls: {
    put: "PutBucketOwnershipControls",
    get: "GetBucketOwnershipControls",
    delete: "DeleteBucketOwnershipControls",
    member: "OwnershipControls",
    unset: () =>
      new AwsError("OwnershipControlsNotFoundError", "The bucket ownership controls were not found", 404),
    check(value) {
      if (!Array.isArray(value.Rules) || value.Rules.length !== 1) throw malformed();
    },
  },
  objectLock: {
    put: "PutObjectLockConfiguration",
    get: "GetObjectLockConfiguration",
    member: "ObjectLockConfiguration",
    unset: () =>
      new AwsError(
        "ObjectLockConfigurationNotFoundError",
        "Object Lock configuration does not exist for this bucket",
        404,
      ),
    check(value, bucket, stored) {
      if (value.ObjectLockEnabled !== "Enabled") throw malformed();
      // Object Lock needs versioning, and once on it cannot be turned off (Amazon S3 User Guide,
      // "Configuring S3 Object Lock": enable it on an existing bucket only with versioning enabled).
      const versioning = stored("versioning") as { Status?: string } | undefined;
      if (versioning?.Status !== "Enabled") {
        throw new AwsError(
          "InvalidBucketState",
          `Versioning must be 'Enabled' on the bucket ${bucket} to apply a Object Lock configuration`,
          409,
        );
      }
    },
  },
};

/** Put/Get/Delete of each bucket subresource, kept per bucket in the store. */
export function bucketConfigurationOperations(
  store: Store,
  bucketOf: (bucket: string) => unknown,
): Record<string, Operation> {
  const key = (bucket: string, name: string) => `${bucket}/${name}`;
  const bucketIn = (input: Record<string, unknown>): string => {
    const bucket = input.Bucket;
    if (typeof bucket !== "string" || !bucket)
      throw new AwsError("InvalidBucketName", "Bucket is required.", 400);
    bucketOf(bucket);
    return bucket;
  };
  const operations: Record<string, Operation> = {};
  for (const [name, sub] of Object.entries(SUBRESOURCES)) {
    operations[sub.put] = async (input) => {
      const bucket = bucketIn(input);
      const value = input[sub.member];
      if (!value || typeof value !== "object" || Array.isArray(value)) throw malformed();
      sub.check?.(value as Record<string, unknown>, bucket, (other) =>
        store.get(BUCKET_CONFIGURATION, key(bucket, other)),
      );
      await store.transact((tx) => tx.put(BUCKET_CONFIGURATION, key(bucket, name), value));
      return {};
    };
    operations[sub.get] = async (input) => {
      const bucket = bucketIn(input);
      const value = store.get<Record<string, unknown>>(BUCKET_CONFIGURATION, key(bucket, name));
      if (value === undefined) {
        if (typeof sub.unset === "function") throw sub.unset();
        return sub.unset;
      }
      return sub.flat ? value : { [sub.member]: value };
    };
    if (sub.delete) {
      operations[sub.delete] = async (input) => {
        const bucket = bucketIn(input);
        await store.transact((tx) => tx.delete(BUCKET_CONFIGURATION, key(bucket, name)));
        return {};
      };
    }
  }
  return operations;
}

/** Drops a deleted bucket's subresources (inside its DeleteBucket transaction). */
export function bucketConfigurationKeys(store: Store, bucket: string): string[] {
  return store.list(BUCKET_CONFIGURATION, `${bucket}/`).map(([k]) => k);
}
