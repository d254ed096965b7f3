import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { AwsError } from "../cloud/aws-error.ts";
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from "../cloud/service.ts";
import { awsRegion } from "../config.ts";
import type { AwsBackendOptions } from "./backends/aws.ts";
import type { LocalCloudLike } from "./backends/local.ts";

/**
 * The one thing a stack needs besides Cloud Control: putting the prepared files into the bucket
 * (CloudFormation has no type for S3 objects). The file's SHA-256 rides along as object metadata,
 * so an unchanged file is not sent again.
 */
export interface ObjectPort {
  /** The SHA-256 recorded on the object, or undefined when there is no such object. */
  sha256Of(bucket: string, key: string): Promise<string | undefined>;
  put(bucket: string, key: string, file: string, sha256: string): Promise<void>;
  /** Deletes the object; one that is already gone counts as deleted. */
  delete(bucket: string, key: string): Promise<void>;
  close(): Promise<void>;
}

const META = "idbridge-sha256";

export async function fileSha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export function localObjects(cloud: LocalCloudLike): ObjectPort {
  const s3 = cloud.services.s3;
  if (!s3) throw new Error("this local cloud has no s3 service");
  const ctx = () => ({
    accountId: LOCAL_ACCOUNT_ID,
    region: LOCAL_REGION,
    principal: "idbridge-iac",
    requestId: randomUUID(),
  });
  return {
    async sha256Of(bucket, key) {
      try {
        const head = await s3.operations.HeadObject!({ Bucket: bucket, Key: key }, ctx());
        return (head.Metadata as Record<string, string> | undefined)?.[META];
      } catch (error) {
        if (error instanceof AwsError && error.status === 404) return undefined;
        throw error;
      }
    },
    async put(bucket, key, file, sha256) {
      await s3.operations.PutObject!(
        { Bucket: bucket, Key: key, Body: createReadStream(file), Metadata: { [META]: sha256 } },
        ctx(),
      );
    },
    async delete(bucket, key) {
      try {
        await s3.operations.DeleteObject!({ Bucket: bucket, Key: key }, ctx());
      } catch (error) {
        if (!(error instanceof AwsError && error.status === 404)) throw error;
      }
    },
    close: async () => {},
  };
}

export async function awsObjects(options: AwsBackendOptions): Promise<ObjectPort> {
  const { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } = await import(
    "@aws-sdk/client-s3"
  );
  const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL_S3;
  const client = new S3Client({
    region: awsRegion(options.region),
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  return {
    async sha256Of(bucket, key) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return head.Metadata?.[META];
      } catch (error) {
        if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
          return undefined;
        throw error;
      }
    },
    async put(bucket, key, file, sha256) {
      const { size } = await stat(file);
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: createReadStream(file),
          ContentLength: size,
          Metadata: { [META]: sha256 },
        }),
      );
    },
    async delete(bucket, key) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404)
          throw error;
      }
    },
    close: async () => client.destroy(),
  };
}
