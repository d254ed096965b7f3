import type { AwsError } from "../cloud/aws-error.ts";

/**
 * One percent-encoded URI component, decoded strictly: a broken escape ("%E0%A4%A", "%zz") is the
 * client's mistake (RFC 3986 §2.1), answered with the protocol's own 400 from `refuse`, never a 500.
 */
export function decodeComponent(text: string, refuse: () => AwsError): string {
  if (!text.includes("%")) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    throw refuse();
  }
}

/** Decoded query pairs in the order sent; "+" stays "+" because SigV4 clients send %20 for spaces. */
export function decodeQueryStrict(rawQuery: string, refuse: () => AwsError): Array<[string, string]> {
  if (!rawQuery) return [];
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    pairs.push([
      decodeComponent(eq < 0 ? part : part.slice(0, eq), refuse),
      decodeComponent(eq < 0 ? "" : part.slice(eq + 1), refuse),
    ]);
  }
  return pairs;
}
