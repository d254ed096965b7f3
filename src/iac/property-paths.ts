import type { ResourceType } from "../schemas/resource-type.ts";

/** "/properties/Arn" and "Arn" both name the top-level property "Arn"; nested paths keep their tail ("A/B"). */
export const propertyPath = (entry: string): string =>
  entry.replace(/^\/?properties\//, "").replace(/^\//, "");

export const topLevel = (entry: string): string => propertyPath(entry).split("/")[0] ?? "";

/** Entries naming a whole top-level property; nested ones (S3's "MetadataConfiguration/Destination") leave their parent writable. */
const wholeProperties = (entries: readonly string[]) =>
  entries.map(propertyPath).filter((path) => !path.includes("/"));

export const readOnlyTopLevel = (type: ResourceType): Set<string> => new Set(wholeProperties(type.readOnly));

export const writeOnlyTopLevel = (type: ResourceType): Set<string> =>
  new Set(wholeProperties(type.writeOnly));

/** True when a change at JSON pointer `pointer` ("/A/B/0") touches a create-only property of `type`. */
export function touchesCreateOnly(type: ResourceType, pointer: string): boolean {
  const path = pointer.replace(/^\//, "");
  return type.createOnly.some((entry) => {
    const createOnly = propertyPath(entry);
    return path === createOnly || path.startsWith(`${createOnly}/`) || createOnly.startsWith(`${path}/`);
  });
}

/** The Cloud Control identifier formed from `props` when every primary-identifier property is writable and set. */
export function identifierFromProps(type: ResourceType, props: Record<string, unknown>): string | undefined {
  const parts = type.primaryIdentifier.map((entry) => props[topLevel(entry)]);
  if (parts.some((part) => typeof part !== "string" || part === "")) return undefined;
  return parts.join("|");
}
