import { parseArn } from "../kit/arns.ts";

/** Entity Resolution ARNs, as the service forms them. */
export const erArn = (region: string, accountId: string, kind: string, name: string) =>
  `arn:aws:entityresolution:${region}:${accountId}:${kind}/${name}`;

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
