/**
 * Clean Rooms' nested CloudFormation shapes are the API's with PascalCase member names
 * (QueryCompute.IsResponsible <-> queryCompute.isResponsible): convert keys deeply, values as they are.
 */
function convert(value: unknown, first: (c: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => convert(item, first));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, member]) => [
      first(key.charAt(0)) + key.slice(1),
      convert(member, first),
    ]),
  );
}

export const lowerKeys = <T>(value: T): Record<string, unknown> | undefined =>
  value === undefined ? undefined : (convert(value, (c) => c.toLowerCase()) as Record<string, unknown>);

export const upperKeys = (value: unknown): Record<string, unknown> | undefined =>
  value === undefined ? undefined : (convert(value, (c) => c.toUpperCase()) as Record<string, unknown>);
