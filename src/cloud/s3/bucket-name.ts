import { AwsError } from "../aws-error.ts";
import { splitS3Uri } from "../kit/arns.ts";

/** S3's general purpose bucket naming rules (docs: "Bucket naming rules"). */
export function assertBucketName(name: unknown): asserts name is string {
  const problem = bucketNameProblem(name);
  if (problem) {
    throw new AwsError("InvalidBucketName", `The specified bucket is not valid: ${problem}.`, 400, {
      BucketName: typeof name === "string" ? name : undefined,
    });
  }
}

function bucketNameProblem(name: unknown): string | undefined {
  if (typeof name !== "string" || name.length === 0) return "a bucket name is required";
  if (name.length < 3 || name.length > 63) return "bucket names must be 3 to 63 characters long";
  if (!/^[a-z0-9.-]+$/.test(name)) return "use only lowercase letters, digits, dots and hyphens";
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return "bucket names must begin and end with a letter or digit";
  if (name.includes("..")) return "bucket names must not contain two adjacent dots";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "bucket names must not look like an IP address";
  if (name.startsWith("xn--") || name.startsWith("sthree-")) return "this prefix is reserved";
  if (name.endsWith("-s3alias") || name.endsWith("--ol-s3")) return "this suffix is reserved";
  return undefined;
}

/** Splits "s3://bucket/some/prefix" into bucket and key prefix; anything else is a ValidationException. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const parts = splitS3Uri(uri);
  if (!parts)
    throw new AwsError("ValidationException", `${uri} is not an S3 URI; expected s3://bucket/prefix`, 400);
  return parts;
}
