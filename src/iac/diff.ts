import { createHash } from "node:crypto";
import { createPatch, type Operation } from "rfc6902";
import type { ResourceType } from "../schemas/resource-type.ts";
import { readOnlyTopLevel, touchesCreateOnly, writeOnlyTopLevel } from "./property-paths.ts";

/** One changed property: its JSON pointer and the values on each side (undefined = absent). */
export interface PropertyChange {
  path: string;
  before?: unknown;
  after?: unknown;
  /** Changing it means replacing the resource. */
  createOnly: boolean;
}

const HASH_PREFIX = "sha256:";

const hashValue = (value: unknown): string =>
  HASH_PREFIX + createHash("sha256").update(JSON.stringify(value)).digest("hex");

/** Desired props as they go into state: undefined dropped, write-only values (possibly secrets) replaced by a hash. */
export function storedProps(type: ResourceType, props: Record<string, unknown>): Record<string, unknown> {
  const writeOnly = writeOnlyTopLevel(type);
  const stored: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined) continue;
    stored[key] = writeOnly.has(key) ? hashValue(value) : structuredClone(value);
  }
  return stored;
}

const unescapePointer = (segment: string) => segment.replace(/~1/g, "/").replace(/~0/g, "~");

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const segment of pointer.split("/").slice(1).map(unescapePointer)) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** Property-by-property differences between two stored prop sets (RFC 6902 paths). */
export function diffProps(
  type: ResourceType,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): PropertyChange[] {
  return createPatch(before, after).map((op) => {
    const path = op.path;
    return {
      path,
      before: valueAt(before, path),
      after: op.op === "remove" ? undefined : valueAt(after, path),
      createOnly: touchesCreateOnly(type, path),
    };
  });
}

const touchesArray = (root: Record<string, unknown>, pointer: string): boolean => {
  const segments = pointer.split("/").slice(1).map(unescapePointer);
  let node: unknown = root;
  for (const segment of segments.slice(0, -1)) {
    if (Array.isArray(node)) return true;
    if (node === null || typeof node !== "object") return false;
    node = (node as Record<string, unknown>)[segment];
  }
  return Array.isArray(node);
};

/**
 * The RFC 6902 patch UpdateResource gets: only what changed. Ops inside arrays become one op on the
 * whole top-level property, because Cloud Control applies the patch to the live model, whose array
 * order the last-applied state cannot promise. Write-only properties are compared by hash and sent
 * with their real value.
 */
export function updatePatch(
  type: ResourceType,
  before: Record<string, unknown>,
  desired: Record<string, unknown>,
): Operation[] {
  const after = storedProps(type, desired);
  const writeOnly = writeOnlyTopLevel(type);
  const readOnly = readOnlyTopLevel(type);
  const ops: Operation[] = [];
  const whole = new Set<string>();
  for (const op of createPatch(before, after)) {
    const top = unescapePointer(op.path.split("/")[1] ?? "");
    if (readOnly.has(top)) continue;
    if (writeOnly.has(top) || touchesArray(before, op.path) || touchesArray(after, op.path)) {
      whole.add(top);
      continue;
    }
    ops.push(op.op === "remove" ? op : ({ ...op, value: valueAt(desired, op.path) } as Operation));
  }
  for (const top of whole) {
    const path = `/${top.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    if (desired[top] === undefined) ops.push({ op: "remove", path });
    else ops.push({ op: before[top] === undefined ? "add" : "replace", path, value: desired[top] });
  }
  return ops;
}

/**
 * Differences between what was last applied and what the service reports now, for the properties
 * iac set (a service may add defaults; those are not drift). Write-only properties cannot be read
 * back and are skipped.
 */
export function driftOf(
  type: ResourceType,
  lastApplied: Record<string, unknown>,
  live: Record<string, unknown>,
): Array<{ path: string; expected: unknown; actual: unknown }> {
  const writeOnly = writeOnlyTopLevel(type);
  const out: Array<{ path: string; expected: unknown; actual: unknown }> = [];
  const walk = (expected: unknown, actual: unknown, path: string) => {
    if (isPlainObject(expected) && isPlainObject(actual)) {
      for (const [key, value] of Object.entries(expected)) walk(value, actual[key], `${path}/${key}`);
      return;
    }
    if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) {
      for (const [index, value] of expected.entries()) walk(value, actual[index], `${path}/${index}`);
      return;
    }
    if (JSON.stringify(expected) !== JSON.stringify(actual)) out.push({ path, expected, actual });
  };
  for (const [key, value] of Object.entries(lastApplied)) {
    if (!writeOnly.has(key)) walk(value, live[key], `/${key}`);
  }
  return out;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);
