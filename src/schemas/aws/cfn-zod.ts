import { z } from "zod";
import { jsonEqual } from "../../lib/json-equal.ts";

/**
 * The zod builders the generated CloudFormation schemas (./generated/*.ts) are made of: one per JSON
 * Schema construct that AWS's resource provider schemas use, each enforcing the keyword the way a
 * JSON Schema validator does (patterns unanchored and with the "u" flag, as ajv compiles them;
 * uniqueItems by deep equality) and worded in idbridge's style: what is wrong and what to do, never
 * the value (it may be PII). The caller prefixes the property path ("Tags[2].Key: ...").
 */

const missing = (input: unknown) => input === undefined;

function kindOf(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "a list";
  if (typeof input === "object") return "an object";
  if (typeof input === "number") return Number.isInteger(input) ? "an integer" : "a number";
  return `a ${typeof input}`;
}

const typeError = (expected: string) => (issue: { input: unknown }) =>
  missing(issue.input)
    ? "is required by AWS's resource schema but missing; add it"
    : `must be ${expected}, not ${kindOf(issue.input)}`;

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

export interface StringRules {
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

/** A JSON Schema string: lengths in code points, the pattern unanchored (both as ajv checks them). */
export function string(rules: StringRules = {}): z.ZodString {
  let schema = z.string({ error: typeError("a string") });
  const { minLength, maxLength, pattern } = rules;
  if (minLength !== undefined && minLength > 0) {
    schema = schema.check(
      z.refine((value: string) => codePoints(value) >= minLength, {
        error: (issue) =>
          codePoints(String(issue.input)) === 0
            ? `is empty; AWS requires at least ${plural(minLength, "character")}`
            : `is ${plural(codePoints(String(issue.input)), "character")} long; AWS requires at least ${minLength}`,
        abort: true,
      }),
    );
  }
  if (maxLength !== undefined) {
    schema = schema.check(
      z.refine((value: string) => codePoints(value) <= maxLength, {
        error: (issue) =>
          `is ${plural(codePoints(String(issue.input)), "character")} long; AWS allows at most ${maxLength} — shorten it`,
        abort: true,
      }),
    );
  }
  if (pattern !== undefined) {
    const regex = new RegExp(pattern, "u");
    schema = schema.check(
      z.refine((value: string) => regex.test(value), {
        error: `does not match AWS's pattern ${pattern}; change it to a value that does`,
      }),
    );
  }
  return schema;
}

/** JSON Schema's minLength/maxLength count code points (RFC 8259 characters), as ajv does. */
function codePoints(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

export function enumeration<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue) =>
      missing(issue.input)
        ? `is required by AWS's resource schema but missing; add one of ${values.join(", ")}`
        : `must be one of ${values.join(", ")}`,
  });
}

export function constant<const T extends string>(value: T) {
  return z.literal(value, {
    error: (issue) =>
      missing(issue.input)
        ? `is required by AWS's resource schema but missing; add "${value}"`
        : `must be "${value}" (the only value AWS accepts here)`,
  });
}

export function boolean() {
  return z.boolean({ error: typeError("true or false") });
}

export interface NumberRules {
  minimum?: number;
  maximum?: number;
}

function bounded<S extends z.ZodNumber>(schema: S, { minimum, maximum }: NumberRules): S {
  let out = schema;
  if (minimum !== undefined)
    out = out.min(minimum, { error: `is too small; AWS requires at least ${minimum}` }) as S;
  if (maximum !== undefined)
    out = out.max(maximum, { error: `is too large; AWS allows at most ${maximum}` }) as S;
  return out;
}

export function integer(rules: NumberRules = {}) {
  return bounded(
    z.number({ error: typeError("a whole number") }).int({ error: "must be a whole number" }),
    rules,
  );
}

export function number(rules: NumberRules = {}) {
  return bounded(z.number({ error: typeError("a number") }), rules);
}

export interface ArrayRules {
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
}

export function array<T extends z.ZodType>(item: T, rules: ArrayRules = {}): z.ZodArray<T> {
  let schema = z.array(item, { error: typeError("a list") });
  const { minItems, maxItems, uniqueItems } = rules;
  if (minItems !== undefined && minItems > 0) {
    schema = schema.min(minItems, {
      error: (issue) =>
        `has ${plural((issue.input as unknown[]).length, "item")}; AWS requires at least ${minItems}`,
    });
  }
  if (maxItems !== undefined) {
    schema = schema.max(maxItems, {
      error: (issue) =>
        `has ${plural((issue.input as unknown[]).length, "item")}; AWS allows at most ${maxItems} — remove some`,
    });
  }
  if (uniqueItems) {
    schema = schema.check((ctx) => {
      const items = ctx.value;
      for (let i = 1; i < items.length; i++) {
        const first = items.findIndex((other, j) => j < i && jsonEqual(other, items[i]));
        if (first >= 0) {
          ctx.issues.push({
            code: "custom",
            input: items,
            path: [i],
            params: { keyword: "uniqueItems" },
            message: `repeats item [${first}]; AWS requires the items to be unique — remove the duplicate`,
          });
          return;
        }
      }
    });
  }
  return schema;
}

/** An object with declared properties and additionalProperties: false. */
export function object<T extends z.core.$ZodLooseShape>(shape: T) {
  const known = Object.keys(shape).sort();
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === "unrecognized_keys") {
        const keys = issue.keys;
        return `unknown propert${keys.length > 1 ? "ies" : "y"} ${keys.join(", ")}; AWS's resource schema allows ${known.length ? known.join(", ") : "none here"} — remove ${keys.length > 1 ? "them" : "it"} or fix the spelling`;
      }
      return typeError("an object")(issue);
    },
  });
}

/** An object whose properties are not declared (a free-form JSON object), keys optionally patterned. */
export function map(keyPattern?: string, value: z.ZodType = z.unknown()) {
  const key = keyPattern
    ? z.string().regex(new RegExp(keyPattern, "u"), {
        error: `is not a key AWS accepts here (pattern ${keyPattern})`,
      })
    : z.string();
  return z.record(key, value, { error: typeError("an object") });
}

/** `type: [a, b]`: the value must be one of the listed JSON types, each with its own keywords. */
export function oneOfTypes<const T extends readonly [z.ZodType, z.ZodType, ...z.ZodType[]]>(
  options: T,
  expected: string,
) {
  return z.union(options, { error: typeError(expected) });
}

/** A key that must be present (JSON Schema's `required` inside an anyOf/oneOf branch). */
export const present = z.custom<unknown>((value) => value !== undefined);

/**
 * anyOf / oneOf beside an object's own keywords: the value must also match at least one (anyOf) or
 * exactly one (oneOf) of the branches.
 */
export function branches<T extends z.ZodType>(
  base: T,
  keyword: "anyOf" | "oneOf",
  options: readonly z.ZodType[],
  describe: string,
): T {
  return base.check((ctx) => {
    const matches = options.filter((option) => option.safeParse(ctx.value).success).length;
    const ok = keyword === "anyOf" ? matches >= 1 : matches === 1;
    if (!ok) {
      ctx.issues.push({
        code: "custom",
        input: ctx.value,
        params: { keyword },
        message:
          keyword === "oneOf" && matches > 1
            ? `matches more than one of the forms AWS allows (${describe}); keep exactly one`
            : `matches none of the forms AWS allows (${describe}); use one of them`,
      });
    }
  }) as T;
}
