import type { z } from "zod";
import { BucketFacts, BucketProps as Generated } from "../aws/generated/s3-bucket.ts";
import { resourceTypeOf } from "../resource-type-of.ts";

/** AWS::S3::Bucket: generated from AWS's CloudFormation resource schema (src/schemas/aws/cfn-schemas.json). */
export const BucketProps = Generated;
export type BucketProps = z.infer<typeof BucketProps>;

export const BucketResource = resourceTypeOf(BucketProps, BucketFacts);
