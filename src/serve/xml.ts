import { AwsError } from "../cloud/aws-error.ts";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\r": "&#13;",
};

/** Characters XML 1.0 cannot carry at all, not even as character references (XML 1.0 §2.2 Char). */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NOT_XML_CHARS = new RegExp(NOT_XML_CHAR.source, "gu");

/** Text for an XML document; characters XML cannot carry become U+FFFD (for messages, never for data). */
export const escapeXml = (text: string) =>
  text.replace(/[&<>"'\r]/g, (char) => ESCAPES[char] ?? char).replace(NOT_XML_CHARS, "\uFFFD");

/**
 * A data value for an XML body (timestamps as ISO 8601, bytes as base64). A value holding a character
 * XML 1.0 cannot carry (an S3 key may hold any Unicode, NUL included) is refused with 400 rather than
 * written raw, which would break every XML parser reading the answer; S3 offers encoding-type=url for
 * such keys (ListObjectsV2's EncodingType in the S3 API model), which percent-encodes them first.
 */
export function xmlText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  const text = String(value);
  if (NOT_XML_CHAR.test(text)) {
    throw new AwsError(
      "InvalidArgument",
      "The answer would hold a character XML 1.0 cannot carry (such as U+0000); for object keys, list with encoding-type=url.",
      400,
    );
  }
  return escapeXml(text);
}

export interface XmlListStyle {
  /** Element name of each item. */
  item: string;
  /** Items repeat directly in the parent instead of inside a wrapper element named after the member. */
  flattened: boolean;
}

/**
 * Writes a value as elements named after its members. Lists are wrapped in <Member><member>…</member>
 * unless `lists` says otherwise (S3's flattened Contents, IAM's member items).
 */
export function toXml(name: string, value: unknown, lists: (member: string) => XmlListStyle): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) {
    const style = lists(name);
    const items = value.map((item) => toXml(style.item, item, lists)).join("");
    return style.flattened ? items : `<${name}>${items}</${name}>`;
  }
  if (typeof value === "object" && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    return `<${name}>${membersToXml(value as Record<string, unknown>, lists)}</${name}>`;
  }
  return `<${name}>${xmlText(value)}</${name}>`;
}

export function membersToXml(
  value: Record<string, unknown>,
  lists: (member: string) => XmlListStyle,
): string {
  return Object.entries(value)
    .map(([member, item]) => toXml(member, item, lists))
    .join("");
}
