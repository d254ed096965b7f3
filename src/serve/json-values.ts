const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Output value → JSON protocol value: timestamps become epoch seconds (the JSON protocols' default
 * timestamp format), whether the service returned a Date or an ISO string in a member the model
 * types as timestamp; undefined members are dropped; binary becomes base64.
 */
export function toWireJson(value: unknown, timestampMembers: ReadonlySet<string>, member?: string): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (typeof value === "string" && member && timestampMembers.has(member) && ISO_TIMESTAMP.test(value)) {
    return Date.parse(value) / 1000;
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map((item) => toWireJson(item, timestampMembers, member));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) out[key] = toWireJson(item, timestampMembers, key);
    }
    return out;
  }
  return value;
}

/** JSON protocol value → operation input: epoch-second timestamps in timestamp members become Dates. */
export function fromWireJson(
  value: unknown,
  timestampMembers: ReadonlySet<string>,
  member?: string,
): unknown {
  if (typeof value === "number" && member && timestampMembers.has(member)) return new Date(value * 1000);
  if (Array.isArray(value)) return value.map((item) => fromWireJson(item, timestampMembers, member));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = fromWireJson(item, timestampMembers, key);
    return out;
  }
  return value;
}

export const jsonBytes = (value: unknown) => Buffer.from(JSON.stringify(value));

/**
 * The JSON document as text: Node writes a string body in the same socket write as the response
 * head, where bytes take a second buffer and the corked writev path, which costs more per request.
 */
export const jsonText = (value: unknown) => JSON.stringify(value);
