import type { JsonSchema } from "./codegen.ts";
import { length, matching, notMatching } from "./pattern-strings.ts";

/**
 * Property documents for one CloudFormation type, generated from AWS's resource schema: valid ones
 * (only the required properties at their minimum; every writable property; every string at its
 * maxLength; each list at its maxItems; every enum value) and invalid ones that each break one
 * rule of one property (missing required, unknown property, enum, pattern, minLength/maxLength,
 * minItems/maxItems, uniqueItems, minimum/maximum, type). Read-only properties are left out: they are
 * the service's ("can't be set by the user", CloudFormation's resource schema specification).
 */
export interface CorpusDocument {
  /** "valid: every property at its limit", "invalid: /Tags/0/Key maxLength" ... */
  name: string;
  /** What the generator meant; the differential test compares validators, not this. */
  intent: "valid" | "invalid";
  document: Record<string, unknown>;
}

type Mode = "min" | "full" | "max";
type Path = ReadonlyArray<string | number>;

/** Lists longer than this are not written out at their maxItems (S3's 1000 replication rules…). */
const MAX_LIST = 60;
const UNKNOWN = "NotAPropertyOfThisType";

export function corpusFor(schema: JsonSchema): CorpusDocument[] {
  return new CorpusBuilder(schema).build();
}

/**
 * Valid values of one writable top-level property, for tests that must set it to something new:
 * every enum value; else every member filled, only the required ones, every string at its limit
 * (and `false` after `true` for a boolean).
 */
export function propertyValues(schema: JsonSchema, property: string): unknown[] {
  return new CorpusBuilder(schema).candidates(property);
}

class CorpusBuilder {
  private readonly definitions: Record<string, JsonSchema>;
  private readonly root: JsonSchema;
  private seed = 1;
  private readonly out: CorpusDocument[] = [];

  constructor(schema: JsonSchema) {
    this.definitions = (schema.definitions ?? {}) as Record<string, JsonSchema>;
    const readOnly = new Set(
      ((schema.readOnlyProperties ?? []) as string[])
        .map((p) => p.replace(/^\/properties\//, ""))
        .filter((p) => !p.includes("/")),
    );
    const properties = Object.fromEntries(
      Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>).filter(
        ([k]) => !readOnly.has(k),
      ),
    );
    this.root = { type: "object", properties, required: schema.required, additionalProperties: false };
  }

  candidates(property: string): unknown[] {
    const raw = (this.root.properties as Record<string, JsonSchema>)[property];
    if (!raw) return [];
    const node = this.resolve(raw);
    if (Array.isArray(node.enum)) return [...node.enum];
    const out = [this.value(raw, "full"), this.value(raw, "min"), this.value(raw, "max")];
    if (this.typeOf(node) === "boolean") out.push(false);
    return out.filter((value) => value !== undefined);
  }

  private resolve(node: JsonSchema): JsonSchema {
    let current = node;
    while (typeof current.$ref === "string") {
      current = this.definitions[current.$ref.replace("#/definitions/", "")] ?? {};
    }
    return current;
  }

  private typeOf(node: JsonSchema): string | undefined {
    if (Array.isArray(node.type)) return (node.type as string[]).includes("object") ? "object" : node.type[0];
    if (node.type) return node.type as string;
    if (node.properties || node.required) return "object";
    return undefined;
  }

  /** A valid value for a schema node, or undefined when none could be made. */
  value(raw: JsonSchema, mode: Mode, depth = 0): unknown {
    const node = this.resolve(raw);
    if (node.const !== undefined) return node.const;
    if (Array.isArray(node.enum)) return node.enum[0];
    const type = this.typeOf(node);
    switch (type) {
      case "string": {
        const min = (node.minLength as number | undefined) ?? 0;
        const max = (node.maxLength as number | undefined) ?? Number.POSITIVE_INFINITY;
        const wanted = mode === "max" ? max : Math.max(min, mode === "full" ? Math.min(3, max) : min);
        return matching(
          node.pattern as string | undefined,
          mode === "max" ? min : wanted,
          max,
          this.seed++,
          mode === "max",
        );
      }
      case "integer":
      case "number":
        return mode === "max"
          ? ((node.maximum as number | undefined) ?? (node.minimum as number | undefined) ?? 1)
          : ((node.minimum as number | undefined) ?? 1);
      case "boolean":
        return true;
      case "array":
        return this.list(node, mode, depth);
      case "object":
        return this.object(node, mode, depth);
      default:
        return "any";
    }
  }

  private list(node: JsonSchema, mode: Mode, depth: number): unknown[] | undefined {
    const min = (node.minItems as number | undefined) ?? 0;
    // One item (or minItems) each: lists at their maxItems get a document of their own (visit),
    // since all of them at once would outgrow Cloud Control's 262,144-character DesiredState.
    const count = Math.max(min, mode === "min" ? 0 : 1);
    return this.items(node, count, mode, depth);
  }

  /** `count` items, all different when the list requires unique items. */
  items(node: JsonSchema, count: number, mode: Mode, depth: number): unknown[] | undefined {
    const item = (node.items ?? {}) as JsonSchema;
    const resolved = this.resolve(item);
    const enumValues = (resolved.enum ?? (resolved.const !== undefined ? [resolved.const] : undefined)) as
      | unknown[]
      | undefined;
    const out: unknown[] = [];
    for (let attempt = 0; out.length < count && attempt < count * 6 + 6; attempt++) {
      const candidate =
        enumValues !== undefined
          ? enumValues[out.length % enumValues.length]
          : this.value(item, mode, depth + 1);
      if (candidate === undefined) return undefined;
      if (
        node.uniqueItems === true &&
        out.some((other) => JSON.stringify(other) === JSON.stringify(candidate))
      ) {
        if (enumValues && out.length >= enumValues.length) break;
        continue;
      }
      out.push(candidate);
    }
    return out.length === count ? out : undefined;
  }

  private object(node: JsonSchema, mode: Mode, depth: number): Record<string, unknown> | undefined {
    const properties = (node.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((node.required ?? []) as string[]);
    let names = Object.keys(properties);
    if (Object.keys(properties).length === 0) {
      const oneOf = (node.oneOf ?? node.anyOf) as JsonSchema[] | undefined;
      const first = oneOf?.find((alt) => alt.properties);
      if (first) return this.object({ ...first, type: "object" }, mode, depth);
      const patterns = Object.entries((node.patternProperties ?? {}) as Record<string, JsonSchema>);
      if (patterns.length && mode !== "min") return { key1: this.value(patterns[0]![1], mode, depth + 1) };
      return {};
    }
    // oneOf branches that each require a different property: keep the first branch's only.
    const alternatives = (node.oneOf ?? []) as JsonSchema[];
    if (alternatives.length) {
      const others = alternatives.slice(1).flatMap((alt) => (alt.required ?? []) as string[]);
      names = names.filter((name) => !others.includes(name));
    }
    const out: Record<string, unknown> = {};
    for (const name of names) {
      if (mode === "min" && !required.has(name)) continue;
      if (depth > 8 && !required.has(name)) continue;
      const value = this.value(properties[name]!, mode, depth + 1);
      if (value === undefined) {
        if (required.has(name)) return undefined;
        continue;
      }
      out[name] = value;
    }
    for (const alt of (node.anyOf ?? []) as JsonSchema[]) {
      for (const name of (alt.required ?? []) as string[]) {
        if (out[name] === undefined && properties[name])
          out[name] = this.value(properties[name], mode, depth + 1);
      }
      break;
    }
    return out;
  }

  private add(intent: CorpusDocument["intent"], name: string, document: unknown) {
    if (document === undefined || document === null || typeof document !== "object") return;
    // Cloud Control's API takes at most 262,144 characters of DesiredState (botocore's model).
    if (JSON.stringify(document).length > 262_144) return;
    this.out.push({ intent, name, document: document as Record<string, unknown> });
  }

  build(): CorpusDocument[] {
    const full = this.value(this.root, "full") as Record<string, unknown> | undefined;
    if (!full) throw new Error("no valid document could be made");
    this.add("valid", "only the required properties, at their minimum", this.value(this.root, "min"));
    this.add("valid", "every writable property", full);
    this.add("valid", "every string at its maxLength", this.value(this.root, "max"));
    this.visit(this.root, full, [], full);
    return this.out;
  }

  /** Variants of `full` that change the value at `path` (whose schema is `raw`). */
  private visit(raw: JsonSchema, value: unknown, path: Path, full: Record<string, unknown>) {
    const node = this.resolve(raw);
    const at = `/${path.join("/")}`;
    const put = (intent: CorpusDocument["intent"], rule: string, next: unknown) =>
      this.add(intent, `${intent}: ${at} ${rule}`, path.length === 0 ? next : replaced(full, path, next));
    const enumValues = (node.enum ?? (node.const !== undefined ? [node.const] : undefined)) as
      | unknown[]
      | undefined;
    if (enumValues) {
      for (const v of enumValues) put("valid", `= ${JSON.stringify(v)}`, v);
      put("invalid", "not in the enum", `${String(enumValues[0])}_NOT_LISTED`);
      return;
    }
    const type = this.typeOf(node);
    const types = Array.isArray(node.type) ? (node.type as string[]) : type ? [type] : [];
    if (types.length && !types.includes("string")) put("invalid", "type (a string)", "text");
    else if (types.length && !types.includes("object") && !types.includes("array"))
      put("invalid", "type (an object)", {});
    switch (type) {
      case "string":
        return this.strings(node, put);
      case "integer":
      case "number": {
        if (typeof node.minimum === "number") put("invalid", "minimum", node.minimum - 1);
        if (typeof node.maximum === "number") put("invalid", "maximum", node.maximum + 1);
        if (type === "integer") put("invalid", "type (a fraction)", 1.5);
        return;
      }
      case "array": {
        const list = value as unknown[];
        const min = (node.minItems as number | undefined) ?? 0;
        const max = node.maxItems as number | undefined;
        if (min > 0) put("invalid", "minItems", this.items(node, min - 1, "full", path.length));
        if (max !== undefined && max < MAX_LIST) {
          put("valid", "at maxItems", this.items(node, max, "full", path.length));
          put("invalid", "maxItems", this.items(node, max + 1, "full", path.length));
        }
        if (node.uniqueItems === true && list.length > 0 && (max === undefined || max >= 2) && min <= 2)
          put("invalid", "uniqueItems (an item twice)", [list[0], list[0]]);
        if (node.uniqueItems !== true && list.length > 0 && (max === undefined || max >= 2))
          put("valid", "the same item twice (no uniqueItems)", [list[0], list[0]]);
        if (list.length > 0) this.visit((node.items ?? {}) as JsonSchema, list[0], [...path, 0], full);
        return;
      }
      case "object": {
        if (typeof value !== "object" || value === null) return;
        const object = value as Record<string, unknown>;
        const properties = (node.properties ?? {}) as Record<string, JsonSchema>;
        if (node.additionalProperties === false && !node.patternProperties)
          put("invalid", `unknown property ${UNKNOWN}`, { ...object, [UNKNOWN]: "x" });
        for (const name of (node.required ?? []) as string[]) {
          if (name in object) {
            const { [name]: _, ...rest } = object;
            put("invalid", `missing required ${name}`, rest);
          }
        }
        for (const [name, child] of Object.entries(object)) {
          const schema = properties[name];
          if (schema) this.visit(schema, child, [...path, name], full);
        }
        return;
      }
    }
  }

  private strings(
    node: JsonSchema,
    put: (intent: CorpusDocument["intent"], rule: string, next: unknown) => void,
  ) {
    const pattern = node.pattern as string | undefined;
    const min = (node.minLength as number | undefined) ?? 0;
    const max = (node.maxLength as number | undefined) ?? Number.POSITIVE_INFINITY;
    if (pattern) {
      const bad = notMatching(pattern, min, max);
      if (bad !== undefined) put("invalid", "pattern", bad);
    }
    if (Number.isFinite(max)) {
      const atMax = matching(pattern, max, max, this.seed++, true);
      if (atMax !== undefined && length(atMax) === max) put("valid", "at maxLength", atMax);
      const over = matching(pattern, max + 1, max + 1, this.seed++, true);
      if (over !== undefined) put("invalid", "maxLength", over);
    }
    if (min > 0) {
      const under = matching(pattern, min - 1, min - 1, this.seed++);
      if (under !== undefined) put("invalid", "minLength", under);
    }
  }
}

function replaced(document: Record<string, unknown>, path: Path, value: unknown): unknown {
  if (value === undefined) return undefined;
  const copy = structuredClone(document);
  let node: Record<string | number, unknown> = copy;
  for (const part of path.slice(0, -1)) node = node[part] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return copy;
}
