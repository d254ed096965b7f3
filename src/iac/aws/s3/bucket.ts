import type { z } from "zod";
import { BucketResource } from "../../../schemas/s3/bucket.ts";
import { defineResource } from "../../resource.ts";

/** AWS::S3::Bucket properties (CloudFormation names). BucketName is create-only: a new name replaces the bucket. */
export type BucketProps = z.input<typeof BucketResource.props>;

export interface Bucket extends BucketProps {
  readonly BucketName: string;
  /** arn:aws:s3:::<BucketName> */
  readonly Arn: string;
  readonly DomainName: string;
  readonly RegionalDomainName: string;
}

/**
 * An S3 bucket for the prepared identity files (Amazon Ads' AMC guide "Bring identity data into the
 * collaboration instance", step 1). Keep AMC query results in a
 * different bucket. Deleting a bucket that still holds objects fails, as on AWS.
 *
 * @example
 * const bucket = await AWS.S3.Bucket("identity-bucket", { BucketName: "amc-identity-123456789012-dev" });
 */
export const Bucket = defineResource<BucketProps, Bucket>(BucketResource);
