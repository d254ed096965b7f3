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

/**
 * Every [concrete path, value] a property path names in the model. A "*" segment stands for each
 * item of a list or member of an object, as in resource schemas' writeOnlyProperties
 * ("/properties/LifecycleConfiguration/Rules/*\/Transition").
 */
export function entriesAt(model: Record<string, unknown>, path: string): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const walk = (node: unknown, parts: readonly string[], at: readonly string[]) => {
    if (parts.length === 0) {
      out.push([at.join("/"), node]);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const [head, ...rest] = parts as [string, ...string[]];
    const keys = head === "*" ? Object.keys(node) : Object.hasOwn(node, head) ? [head] : [];
    for (const key of keys) walk((node as Record<string, unknown>)[key], rest, [...at, key]);
  };
  walk(model, path === "" ? [] : path.split("/"), []);
  return out;
}

/** Removes what a property path names; "*" segments as in entriesAt. */
export function deleteAt(model: Record<string, unknown>, path: string): void {
  const parts = path.split("/");
  const last = parts.pop()!;
  for (const [, parent] of entriesAt(model, parts.join("/"))) {
    if (parent === null || typeof parent !== "object") continue;
    if (last === "*") {
      if (Array.isArray(parent)) parent.length = 0;
      else for (const key of Object.keys(parent)) delete (parent as Record<string, unknown>)[key];
    } else if (!Array.isArray(parent)) {
      delete (parent as Record<string, unknown>)[last];
    }
  }
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
