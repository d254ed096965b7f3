export { jsonEqual } from "../../lib/json-equal.ts";

/** The value at a property path of a resource type ("Name" or "InputReferenceConfig/InputReferenceArn"). */
export function valueAt(model: Record<string, unknown>, path: string): unknown {
  let node: unknown = model;
  for (const part of path.split("/")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

export function deleteAt(model: Record<string, unknown>, path: string): void {
  const parts = path.split("/");
  let node: unknown = model;
  for (const part of parts.slice(0, -1)) {
    if (node === null || typeof node !== "object") return;
    node = (node as Record<string, unknown>)[part];
  }
  if (node !== null && typeof node === "object")
    delete (node as Record<string, unknown>)[parts[parts.length - 1]!];
}

export function setAt(model: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split("/");
  let node = model;
  for (const part of parts.slice(0, -1)) {
    if (node[part] === null || typeof node[part] !== "object") node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}
