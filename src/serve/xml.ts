const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\r": "&#13;",
};

export const escapeXml = (text: string) => text.replace(/[&<>"'\r]/g, (char) => ESCAPES[char] ?? char);

/** XML protocols (S3, IAM) write timestamps as ISO 8601 in bodies. */
export function xmlText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  return escapeXml(String(value));
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
