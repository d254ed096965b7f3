import type { Store } from "./store.ts";

/**
 * What the Entity Resolution, Clean Rooms and AMC services need from the rest of the local cloud.
 * Built by LocalCloud.open (src/cloud/index.ts) from the S3, Glue and IAM services.
 */
export interface CloudDeps {
  readonly store: Store;
  readonly accountId: string;
  readonly region: string;
  /** Home directory of the local cloud (".idbridge" by default). */
  readonly home: string;
  readonly s3: {
    /** Local file paths of the objects under s3://bucket/prefix (throws AwsError NoSuchBucket). */
    listObjectFiles(s3Uri: string): Promise<string[]>;
    /** The same objects as their s3:// URIs with their local files (the files are internal paths). */
    listObjectsWithFiles(s3Uri: string): Promise<Array<{ s3Uri: string; file: string }>>;
    /** Stores a local file as the object at s3Uri (atomic). */
    putObjectFromFile(s3Uri: string, file: string): Promise<void>;
  };
  readonly glue: {
    /** The Glue table (GetTable's Table shape), or AwsError EntityNotFoundException. */
    getTable(
      databaseName: string,
      tableName: string,
    ): Promise<{
      Name: string;
      DatabaseName: string;
      StorageDescriptor?: { Location?: string; Columns?: Array<{ Name: string; Type?: string }> };
      Parameters?: Record<string, string>;
    }>;
  };
  readonly iam: {
    /**
     * Throws AwsError AccessDeniedException with a message that says what is missing unless the
     * role exists, trusts servicePrincipal (e.g. "entityresolution.amazonaws.com") and its inline
     * policies allow every action in `actions` on every resource ARN in `resources`.
     */
    assertRoleAllows(
      roleArn: string,
      servicePrincipal: string,
      actions: string[],
      resources: string[],
    ): Promise<void>;
  };
}
