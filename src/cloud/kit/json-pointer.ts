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

interface PathTrie {
  /** The path ends here: the member goes. */
  end: boolean;
  next: Map<string, PathTrie>;
}

const tries = new WeakMap<readonly string[], PathTrie>();

function trieOf(paths: readonly string[]): PathTrie {
  let root = tries.get(paths);
  if (!root) {
    root = { end: false, next: new Map() };
    for (const path of paths) {
      let node = root;
      for (const part of path.split("/")) {
        let child = node.next.get(part);
        if (!child) {
          child = { end: false, next: new Map() };
          node.next.set(part, child);
        }
        node = child;
      }
      node.end = true;
    }
    tries.set(paths, root);
  }
  return root;
}

function without(node: unknown, trie: PathTrie): unknown {
  if (node === null || typeof node !== "object") return node;
  const source = node as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  const own = () => {
    copy ??= (Array.isArray(node) ? [...node] : { ...source }) as Record<string, unknown>;
    return copy;
  };
  for (const [part, child] of trie.next) {
    if (part === "*") {
      if (child.end) {
        if (Object.keys(source).length > 0) return Array.isArray(node) ? [] : {};
        continue;
      }
      for (const key of Object.keys(source)) {
        const value = (copy ?? source)[key];
        const stripped = without(value, child);
        if (stripped !== value) own()[key] = stripped;
      }
    } else if (Object.hasOwn(source, part)) {
      if (child.end) {
        if (!Array.isArray(node)) delete own()[part];
        continue;
      }
      const value = (copy ?? source)[part];
      const stripped = without(value, child);
      if (stripped !== value) own()[part] = stripped;
    }
  }
  return copy ?? node;
}

/**
 * The model without what the property paths name ("*" segments as in entriesAt): the same result as
 * deleteAt on a deep copy, but only the objects on a removed member's way are copied, and the model is
 * returned as it is when none of the paths is there. The result shares the rest with the model, so it
 * is for reading (serializing), not for changing.
 */
export function withoutPaths(
  model: Record<string, unknown>,
  paths: readonly string[],
): Record<string, unknown> {
  if (paths.length === 0) return model;
  return without(model, trieOf(paths)) as Record<string, unknown>;
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
