/** The parts of an ARN (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). */
export interface ParsedArn {
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

export function parseArn(arn: string): ParsedArn | undefined {
  const match = /^arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/.exec(arn);
  if (!match) return undefined;
  return { service: match[1]!, region: match[2]!, accountId: match[3]!, resource: match[4]! };
}

/** arn:aws:glue:<region>:<account>:table/<database>/<table> -> its parts. */
export function parseGlueTableArn(
  arn: string,
): { region: string; accountId: string; database: string; table: string } | undefined {
  const parsed = parseArn(arn);
  if (parsed?.service !== "glue") return undefined;
  const match = /^table\/([^/]+)\/([^/]+)$/.exec(parsed.resource);
  if (!match) return undefined;
  return { region: parsed.region, accountId: parsed.accountId, database: match[1]!, table: match[2]! };
}

/** s3://bucket/some/prefix -> { bucket, key: "some/prefix" }, or undefined when it is not an S3 URI. */
export function splitS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) return undefined;
  return { bucket: match[1]!, key: match[2]! };
}
