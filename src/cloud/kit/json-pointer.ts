/** Deep equality of JSON values, key order ignored (create-only checks compare before/after). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((v, i) => jsonEqual(v, other[i]));
  }
  const ak = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return (
    ak.length === bk.length &&
    ak.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

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
