/** Entity Resolution ARNs, as the service forms them. */
export const erArn = (region: string, accountId: string, kind: string, name: string) =>
  `arn:aws:entityresolution:${region}:${accountId}:${kind}/${name}`;

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

/** arn:aws:entityresolution:...:<kind>/<name> -> { accountId, name } when the kind matches. */
export function parseErArn(
  arn: string,
  kind: string,
): { region: string; accountId: string; name: string } | undefined {
  const parsed = parseArn(arn);
  if (parsed?.service !== "entityresolution") return undefined;
  const prefix = `${kind}/`;
  if (!parsed.resource.startsWith(prefix)) return undefined;
  return { region: parsed.region, accountId: parsed.accountId, name: parsed.resource.slice(prefix.length) };
}

/** s3://bucket/prefix -> { bucket, prefix } */
export function parseS3Uri(uri: string): { bucket: string; prefix: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) return undefined;
  return { bucket: match[1]!, prefix: match[2]! };
}
