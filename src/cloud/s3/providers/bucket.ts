import { type BucketProps, BucketResource } from "../../../schemas/s3/bucket.ts";
import { isAwsError, withIdentifier } from "../../kit/aws-errors.ts";
import { caller } from "../../kit/calls.ts";
import { generatedName } from "../../kit/generated-names.ts";
import { resourceIdFor } from "../../kit/resource-ids.ts";
import type { ResourceProvider } from "../../provider.ts";
import type { AwsService, RequestContext } from "../../service.ts";
import type { Store } from "../../store.ts";
import { readSubresources, SUBRESOURCE_PROPERTIES, writeSubresources } from "./bucket-subresources.ts";

/** Bucket configuration beyond what the S3 service models (encryption, versioning, tags…), kept as sent. */
const BUCKET_PROPERTIES = "cloudcontrol.s3.bucketProperties";

type Stored = Omit<BucketProps, "BucketName" | "AccessControl">;

/** A table's ARN under a table bucket; its id derives from the bucket and the table's name, so reads agree. */
const tableArn = (tableBucketArn: string, bucket: string, table: string) =>
  `${tableBucketArn}/table/${resourceIdFor(`${bucket}/${table}`)}`;

/**
 * The read-only members S3 Metadata sets on its tables. Live metadata configurations use the
 * AWS-managed table bucket "aws-s3", namespace "b_<bucket>", tables "journal" and "inventory"; the
 * older metadata table configuration writes to the namespace "aws_s3_metadata" of the caller's
 * table bucket (Amazon S3 User Guide, "Accelerating data discovery with S3 Metadata").
 */
function withMetadataTables(name: string, region: string, account: string, stored: Stored): Stored {
  const out = structuredClone(stored);
  const destination = out.MetadataTableConfiguration?.S3TablesDestination;
  if (destination) {
    destination.TableNamespace = "aws_s3_metadata";
    destination.TableArn = tableArn(destination.TableBucketArn, name, destination.TableName);
  }
  const metadata = out.MetadataConfiguration;
  if (metadata) {
    const TableBucketArn = `arn:aws:s3tables:${region}:${account}:bucket/aws-s3`;
    metadata.Destination = { TableBucketType: "aws", TableBucketArn, TableNamespace: `b_${name}` };
    const journal = metadata.JournalTableConfiguration;
    journal.TableName = "journal";
    journal.TableArn = tableArn(TableBucketArn, name, "journal");
    const inventory = metadata.InventoryTableConfiguration;
    if (inventory) {
      inventory.TableName = "inventory";
      inventory.TableArn = tableArn(TableBucketArn, name, "inventory");
    }
  }
  return out;
}

export function bucketProvider(s3: AwsService, store: Store): ResourceProvider {
  const call = caller(s3);
  const model = async (name: string, region: string, ctx: RequestContext) => {
    const kept = store.get<Stored>(BUCKET_PROPERTIES, name) ?? {};
    return {
      ...withMetadataTables(name, region, ctx.accountId, kept),
      ...(await readSubresources(call, name, ctx)),
      BucketName: name,
      Arn: `arn:aws:s3:::${name}`,
      DomainName: `${name}.s3.amazonaws.com`,
      DualStackDomainName: `${name}.s3.dualstack.${region}.amazonaws.com`,
      RegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
      WebsiteURL: `http://${name}.s3-website-${region}.amazonaws.com`,
    };
  };
  /** What is kept beside S3: everything but the name, the write-only ACL and what S3 keeps itself. */
  const split = (desired: Record<string, unknown>): Stored => {
    const { BucketName: _, AccessControl: __, ...rest } = desired as BucketProps;
    return Object.fromEntries(
      Object.entries(rest).filter(([name]) => !SUBRESOURCE_PROPERTIES.has(name)),
    ) as Stored;
  };

  return {
    type: BucketResource,
    withGeneratedNames(desired, requestToken) {
      // Cloud Control generates a name when none is given.
      if (desired.BucketName !== undefined) return desired;
      return {
        ...desired,
        BucketName: generatedName("idbridge-", requestToken, 16),
      };
    },
    async create(desired, ctx) {
      const name = desired.BucketName as string;
      try {
        await call(
          "CreateBucket",
          {
            Bucket: name,
            ...(desired.ObjectLockEnabled === true ? { ObjectLockEnabledForBucket: true } : {}),
          },
          ctx,
        );
      } catch (error) {
        throw withIdentifier(error, name);
      }
      try {
        await writeSubresources(call, name, desired, ctx);
      } catch (error) {
        // A bucket half-configured is removed, as CloudFormation rolls back a failed create.
        await call("DeleteBucket", { Bucket: name }, ctx).catch(() => undefined);
        throw error;
      }
      await store.transact((tx) => tx.put(BUCKET_PROPERTIES, name, split(desired)));
      return { identifier: name, model: await model(name, ctx.region, ctx) };
    },
    async read(identifier, ctx) {
      let region: string;
      try {
        region = (await call("HeadBucket", { Bucket: identifier }, ctx)).BucketRegion ?? ctx.region;
      } catch (error) {
        if (isAwsError(error, "NotFound", "NoSuchBucket")) return undefined;
        throw error;
      }
      return model(identifier, region, ctx);
    },
    async update(identifier, desired, ctx) {
      await call("HeadBucket", { Bucket: identifier }, ctx);
      await writeSubresources(call, identifier, desired, ctx);
      await store.transact((tx) => tx.put(BUCKET_PROPERTIES, identifier, split(desired)));
      return model(identifier, ctx.region, ctx);
    },
    async delete(identifier, ctx) {
      await call("DeleteBucket", { Bucket: identifier }, ctx);
      await store.transact((tx) => tx.delete(BUCKET_PROPERTIES, identifier));
    },
    async list(ctx) {
      const { Buckets } = await call("ListBuckets", {}, ctx);
      const out: Array<{ identifier: string; model: Record<string, unknown> }> = [];
      for (const b of Buckets as Array<{ Name: string; BucketRegion?: string }>)
        out.push({ identifier: b.Name, model: await model(b.Name, b.BucketRegion ?? ctx.region, ctx) });
      return out;
    },
  };
}
