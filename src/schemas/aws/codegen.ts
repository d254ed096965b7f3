/**
 * Turns AWS's CloudFormation resource provider schemas (the snapshot in ./cfn-schemas.json) into
 * TypeScript: one module per type with its writable properties as a zod schema built from
 * ./cfn-zod.ts, and its facts (createOnly, readOnly, writeOnly, primaryIdentifier, required).
 * scripts/generate-cfn-zod.ts writes the modules; a test regenerates them and fails on any drift.
 */

export type JsonSchema = { [keyword: string]: unknown };

export interface Snapshot {
  source: { package: string; version: string; region: string; retrieved: string };
  schemas: Record<string, JsonSchema>;
}

/** Keywords that describe but do not constrain (or that ajv, like CloudFormation's own tooling, does not enforce). */
const ANNOTATIONS = new Set([
  "description",
  "examples",
  "default",
  "insertionOrder",
  "format",
  "$comment",
  "arrayType",
  "relationshipRef",
  "dependentExcluded",
]);

/** File and symbol names: "AWS::EntityResolution::SchemaMapping" -> entity-resolution-schema-mapping.ts, SchemaMapping. */
export function moduleName(typeName: string): { file: string; symbol: string } {
  const [, service = "", resource = ""] = typeName.split("::");
  const kebab = (s: string) =>
    s
      .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
      .replace(/([A-Z])([A-Z][a-z])/g, "$1-$2")
      .toLowerCase();
  return { file: `${kebab(service)}-${kebab(resource)}.ts`, symbol: resource };
}

/** "/properties/A/B" -> "A/B", the property paths ResourceType uses. */
export const propertyPath = (pointer: string) => pointer.replace(/^\/properties\//, "");

const identifier = (name: string) => {
  const safe = name.replace(/[^A-Za-z0-9_$]/g, "_");
  return /^[0-9]/.test(safe) || safe === "z" || safe === "cfn" ? `_${safe}` : safe;
};

const literal = (value: unknown) => JSON.stringify(value);

function rulesArgument(node: JsonSchema, keys: readonly string[]): string {
  const parts = keys.filter((k) => node[k] !== undefined).map((k) => `${k}: ${literal(node[k])}`);
  return parts.length ? `{ ${parts.join(", ")} }` : "";
}

class TypeModule {
  private readonly lines: string[] = [];
  private readonly emitted = new Set<string>();
  private readonly emitting = new Set<string>();
  usesZod = false;

  constructor(
    private readonly typeName: string,
    private readonly schema: JsonSchema,
  ) {}

  private fail(message: string): never {
    throw new Error(`${this.typeName}: ${message}`);
  }

  private definition(ref: string): string {
    const match = /^#\/definitions\/(.+)$/.exec(ref);
    if (!match) this.fail(`unsupported $ref ${ref}`);
    const name = match[1]!;
    const definitions = (this.schema.definitions ?? {}) as Record<string, JsonSchema>;
    const node = definitions[name];
    if (!node) this.fail(`$ref to a missing definition ${name}`);
    const id = identifier(name);
    if (this.emitted.has(name)) return id;
    if (this.emitting.has(name)) this.fail(`recursive definition ${name} (not supported)`);
    this.emitting.add(name);
    const code = this.expr(node, 0);
    this.emitting.delete(name);
    this.emitted.add(name);
    this.lines.push(`export const ${id} = ${code};`);
    return id;
  }

  private checkKnown(node: JsonSchema, known: readonly string[]) {
    for (const key of Object.keys(node)) {
      if (!known.includes(key) && !ANNOTATIONS.has(key)) this.fail(`unsupported keyword ${key}`);
    }
  }

  /**
   * Draft-07 validators such as ajv v8 apply keywords beside a $ref too. The ones AWS's schemas put
   * there constrain nothing: the referenced type itself, or string lengths on an object.
   */
  private checkRefSiblings(node: JsonSchema) {
    this.checkKnown(node, ["$ref", "type", "minLength", "maxLength"]);
    const name = String(node.$ref).replace(/^#\/definitions\//, "");
    const target = ((this.schema.definitions ?? {}) as Record<string, JsonSchema>)[name] ?? {};
    if (node.type !== undefined && node.type !== target.type) this.fail(`$ref ${name} with another type`);
    const lengths = node.minLength !== undefined || node.maxLength !== undefined;
    if (lengths && target.type !== "object") this.fail(`$ref ${name} with string lengths`);
  }

  expr(node: JsonSchema, depth: number): string {
    if (typeof node.$ref === "string") {
      this.checkRefSiblings(node);
      return this.definition(node.$ref);
    }
    const types = Array.isArray(node.type) ? (node.type as string[]) : node.type ? [node.type as string] : [];
    let code: string;
    if (types.length > 1) {
      const options = types.map((type) => this.single(node, type, depth));
      code = `cfn.oneOfTypes([${options.join(", ")}], ${literal(types.map(article).join(" or "))})`;
    } else {
      code = this.single(node, types[0], depth);
    }
    for (const keyword of ["anyOf", "oneOf"] as const) {
      const alternatives = node[keyword] as JsonSchema[] | undefined;
      if (!alternatives) continue;
      const options = alternatives.map((alt) => this.branch(alt, depth + 1));
      if (options.every((o) => o === undefined)) continue; // e.g. anyOf of formats only
      const describe = alternatives.map(describeBranch).join(" | ");
      const list = options.map((o) => o ?? "z.unknown()");
      if (options.includes(undefined)) this.usesZod = true;
      code = `cfn.branches(${code}, ${literal(keyword)}, [${list.join(", ")}], ${literal(describe)})`;
    }
    return code;
  }

  /** A branch of anyOf/oneOf: constrains the same value; undefined when it constrains nothing. */
  private branch(alt: JsonSchema, depth: number): string | undefined {
    const keys = Object.keys(alt).filter((k) => !ANNOTATIONS.has(k));
    if (keys.length === 0) return undefined;
    if (alt.type === undefined && (alt.properties || alt.required)) {
      return this.objectExpr({ ...alt, type: "object" }, depth);
    }
    return this.expr(alt, depth);
  }

  private single(node: JsonSchema, type: string | undefined, depth: number): string {
    if (node.const !== undefined || node.enum !== undefined) {
      this.checkKnown(node, ["type", "const", "enum", "anyOf", "oneOf"]);
      const values = (node.const !== undefined ? [node.const] : node.enum) as unknown[];
      if (!values.every((v) => typeof v === "string")) this.fail(`non-string enum ${literal(values)}`);
      if (node.const !== undefined) return `cfn.constant(${literal(node.const)})`;
      return `cfn.enumeration(${literal(values)})`;
    }
    switch (type) {
      case "string":
        this.checkKnown(node, ["type", "minLength", "maxLength", "pattern", "anyOf", "oneOf"]);
        return `cfn.string(${rulesArgument(node, ["minLength", "maxLength", "pattern"])})`;
      case "integer":
      case "number":
        this.checkKnown(node, ["type", "minimum", "maximum"]);
        return `cfn.${type}(${rulesArgument(node, ["minimum", "maximum"])})`;
      case "boolean":
        this.checkKnown(node, ["type"]);
        return "cfn.boolean()";
      case "array": {
        this.checkKnown(node, ["type", "items", "minItems", "maxItems", "uniqueItems"]);
        const items = node.items ? this.expr(node.items as JsonSchema, depth) : "z.unknown()";
        if (!node.items) this.usesZod = true;
        const rules = rulesArgument(node, ["minItems", "maxItems", "uniqueItems"]);
        return `cfn.array(${items}${rules ? `, ${rules}` : ""})`;
      }
      case "object":
      case undefined:
        return this.objectExpr(node, depth);
      default:
        this.fail(`unsupported type ${type}`);
    }
  }

  objectExpr(node: JsonSchema, depth: number, omit: ReadonlySet<string> = new Set()): string {
    this.checkKnown(node, [
      "type",
      "properties",
      "required",
      "additionalProperties",
      "patternProperties",
      "anyOf",
      "oneOf",
      // `type: [object, string]` puts the string keywords on the same node
      ...(Array.isArray(node.type) ? ["minLength", "maxLength", "pattern"] : []),
    ]);
    const properties = (node.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((node.required ?? []) as string[]);
    const names = Object.keys(properties).filter((name) => !omit.has(name));
    if (names.length === 0 && required.size === 0) {
      const patterns = Object.entries((node.patternProperties ?? {}) as Record<string, JsonSchema>);
      if (patterns.length > 1) this.fail("more than one patternProperties entry");
      const [pattern] = patterns;
      if (pattern) {
        // cfn.map rejects keys outside the pattern, which is JSON Schema's meaning only with this:
        if (node.additionalProperties !== false)
          this.fail("patternProperties without additionalProperties: false");
        return `cfn.map(${literal(pattern[0])}, ${this.expr(pattern[1], depth)})`;
      }
      return node.additionalProperties === false ? "cfn.object({})" : "cfn.map()";
    }
    if (node.patternProperties) this.fail("properties together with patternProperties");
    for (const name of required) {
      if (!(name in properties) && node.additionalProperties === false)
        this.fail(`required ${name} is not a property`);
    }
    const pad = "  ".repeat(depth + 1);
    const members = names.map((name) => {
      const value = this.expr(properties[name]!, depth + 1);
      return `${pad}${literal(name)}: ${value}${required.has(name) ? "" : ".optional()"},`;
    });
    for (const name of required) {
      if (!(name in properties)) members.push(`${pad}${literal(name)}: cfn.present,`);
    }
    const body = `{\n${members.join("\n")}\n${"  ".repeat(depth)}}`;
    if (node.additionalProperties === false) return `cfn.object(${body})`;
    this.usesZod = true;
    return `z.looseObject(${body})`;
  }

  render(snapshot: Snapshot): string {
    const { symbol } = moduleName(this.typeName);
    const s = this.schema;
    const paths = (key: string) => ((s[key] ?? []) as string[]).map(propertyPath);
    const readOnly = paths("readOnlyProperties");
    const topReadOnly = new Set(readOnly.filter((p) => !p.includes("/")));
    const { properties, required, additionalProperties } = s;
    const props = this.objectExpr(
      { type: "object", properties, required, additionalProperties },
      0,
      topReadOnly,
    );
    const facts = {
      typeName: this.typeName,
      createOnly: paths("createOnlyProperties"),
      readOnly,
      writeOnly: paths("writeOnlyProperties"),
      primaryIdentifier: paths("primaryIdentifier"),
      required: (s.required ?? []) as string[],
    };
    const header = [
      `// Generated by scripts/generate-cfn-zod.ts from src/schemas/aws/cfn-schemas.json: AWS's`,
      `// CloudFormation resource schema for ${this.typeName} (${snapshot.source.package} ${snapshot.source.version}, ${snapshot.source.region}).`,
      "// Do not edit: change the snapshot (scripts/snapshot-cfn-schemas.py) and regenerate.",
      ...(this.usesZod ? ['import { z } from "zod";'] : []),
      'import * as cfn from "../cfn-zod.ts";',
      "",
    ];
    return [
      ...header,
      ...this.lines,
      "",
      `/** The properties a template may set (read-only ones are the service's). */`,
      `export const ${symbol}Props = ${props};`,
      "",
      `export const ${symbol}Facts = ${JSON.stringify(facts, null, 2)} as const;`,
      "",
    ].join("\n");
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeBranch(alt: JsonSchema): string {
  const required = (alt.required ?? []) as string[];
  if (required.length) return `with ${required.join(" and ")}`;
  return Object.keys(alt).join(", ");
}

/** Every generated module, keyed by its file name under src/schemas/aws/generated/. */
export function generateModules(snapshot: Snapshot): Map<string, string> {
  const out = new Map<string, string>();
  for (const [typeName, schema] of Object.entries(snapshot.schemas)) {
    out.set(moduleName(typeName).file, new TypeModule(typeName, schema).render(snapshot));
  }
  return out;
}
