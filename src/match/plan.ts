import type { IdentityKind } from "../normalize/index.ts";
import type { CreateSchemaMappingInput, SchemaAttributeType } from "../schemas/entity-resolution-api.ts";

/** null means "compare the trimmed value as it is" (STRING, PROVIDER_ID, DATE, … fields). */
export type NormalizeKind = IdentityKind;

/** One matchable column of one input, and where its fingerprint lives in the side's table. */
export interface PlannedField {
  fieldName: string;
  matchKey: string;
  /** 1-based position among this input's fields with the same matchKey: the "sub-type" ONE_TO_ONE pairs on. */
  ordinal: number;
  typeClass: string;
  kind: NormalizeKind | null;
  hashed: boolean;
  /** Column of the side table: `${matchKey}#${ordinal}`, shared by all inputs of the side. */
  slot: string;
}

export interface PlannedInput {
  name: string;
  files: string[];
  idField: string;
  /** A raw ADDRESS_COUNTRY column, passed to the normalizers of phone and postal code. */
  countryField?: string;
  fields: PlannedField[];
}

export interface SlotInfo {
  matchKey: string;
  ordinal: number;
  typeClass: string;
}

export interface SidePlan {
  role: "source" | "target";
  inputs: PlannedInput[];
  slots: Map<string, SlotInfo>;
}

const KIND_BY_TYPE: Partial<Record<SchemaAttributeType, NormalizeKind>> = {
  EMAIL_ADDRESS: "EMAIL_ADDRESS",
  PHONE: "PHONE",
  PHONE_NUMBER: "PHONE",
  NAME: "NAME_FIRST",
  NAME_FIRST: "NAME_FIRST",
  NAME_MIDDLE: "NAME_FIRST",
  NAME_LAST: "NAME_LAST",
  ADDRESS: "ADDRESS",
  ADDRESS_STREET1: "ADDRESS",
  ADDRESS_STREET2: "ADDRESS",
  ADDRESS_STREET3: "ADDRESS",
  ADDRESS_CITY: "ADDRESS_CITY",
  ADDRESS_STATE: "ADDRESS_STATE",
  ADDRESS_POSTALCODE: "ADDRESS_POSTALCODE",
  ADDRESS_COUNTRY: "ADDRESS_COUNTRY",
  MAID: "MAID",
};

// AMC carries LiveRamp, Experian and Merkle ids as STRING fields named by their matchKey.
const STRING_KINDS: Record<string, NormalizeKind> = { lrp: "LRP", exp: "EXP", mkl: "MKL", maid: "MAID" };

export function normalizeKindOf(
  type: SchemaAttributeType,
  matchKey: string | undefined,
): NormalizeKind | null {
  if (type === "STRING") return STRING_KINDS[(matchKey ?? "").toLowerCase()] ?? null;
  return KIND_BY_TYPE[type] ?? null;
}

/**
 * MANY_TO_MANY compares any field "of the same attribute type" (ER's words). Generic types (STRING,
 * PROVIDER_ID, DATE, …) say nothing about what the value is, so for them the class is the matchKey
 * itself: a LiveRamp id never meets a Merkle id.
 */
export function typeClassOf(type: SchemaAttributeType, matchKey: string): string {
  const kind = KIND_BY_TYPE[type];
  if (kind && type !== "NAME" && type !== "NAME_MIDDLE") return kind;
  return `${type}:${matchKey}`;
}

export function slotName(matchKey: string, ordinal: number): string {
  return `${matchKey}#${ordinal}`;
}

/** Plans one input from its schema mapping; the caller has validated the schema already. */
export function planInput(name: string, files: string[], schema: CreateSchemaMappingInput): PlannedInput {
  const idField = schema.mappedInputFields.find((f) => f.type === "UNIQUE_ID")?.fieldName ?? "";
  const seen = new Map<string, number>();
  const fields: PlannedField[] = [];
  let countryField: string | undefined;
  for (const f of schema.mappedInputFields) {
    if (f.type === "ADDRESS_COUNTRY" && !f.hashed && countryField === undefined) countryField = f.fieldName;
    if (f.type === "UNIQUE_ID" || !f.matchKey) continue; // ER: no matchKey, not used for matching
    const ordinal = (seen.get(f.matchKey) ?? 0) + 1;
    seen.set(f.matchKey, ordinal);
    fields.push({
      fieldName: f.fieldName,
      matchKey: f.matchKey,
      ordinal,
      typeClass: typeClassOf(f.type, f.matchKey),
      kind: normalizeKindOf(f.type, f.matchKey),
      hashed: f.hashed === true,
      slot: slotName(f.matchKey, ordinal),
    });
  }
  return { name, files, idField, countryField, fields };
}

export function planSide(role: "source" | "target", inputs: PlannedInput[]): SidePlan {
  const slots = new Map<string, SlotInfo>();
  for (const input of inputs) {
    for (const f of input.fields) {
      if (!slots.has(f.slot))
        slots.set(f.slot, { matchKey: f.matchKey, ordinal: f.ordinal, typeClass: f.typeClass });
    }
  }
  return { role, inputs, slots };
}

/** How one rule key is compared: which slots of each side, tagged so ONE_TO_ONE only pairs equal sub-types. */
export interface KeyComparison {
  matchKey: string;
  /** Each alternative: a tag (equal tags may meet), the source slot and the target slot sets. */
  alternatives: Array<{ tag: number; sourceSlots: string[]; targetSlots: string[] }>;
}

export function compareKey(
  matchKey: string,
  model: "ONE_TO_ONE" | "MANY_TO_MANY",
  source: SidePlan,
  target: SidePlan,
): KeyComparison {
  const slotsOf = (side: SidePlan, pick: (s: SlotInfo) => boolean) =>
    [...side.slots.entries()].filter(([, info]) => pick(info)).map(([slot]) => slot);
  if (model === "ONE_TO_ONE") {
    const alternatives: KeyComparison["alternatives"] = [];
    for (const [slot, info] of source.slots) {
      if (info.matchKey !== matchKey || !target.slots.has(slot)) continue;
      alternatives.push({ tag: info.ordinal, sourceSlots: [slot], targetSlots: [slot] });
    }
    return { matchKey, alternatives };
  }
  const classes = new Set(
    [...source.slots.values(), ...target.slots.values()]
      .filter((s) => s.matchKey === matchKey)
      .map((s) => s.typeClass),
  );
  return {
    matchKey,
    alternatives: [
      {
        tag: 0,
        sourceSlots: slotsOf(source, (s) => classes.has(s.typeClass)),
        targetSlots: slotsOf(target, (s) => classes.has(s.typeClass)),
      },
    ],
  };
}

/** One way a rule can hold: per key, the source slots and the target slots that may carry its value. */
export type RuleVariant = Array<{ sourceSlots: string[]; targetSlots: string[] }>;

/**
 * ONE_TO_ONE gives one variant per choice of sub-type for each key (both sides on the same sub-type);
 * MANY_TO_MANY gives a single variant whose slots are every field of the key's attribute type.
 */
export function ruleVariants(
  matchingKeys: string[],
  model: "ONE_TO_ONE" | "MANY_TO_MANY",
  source: SidePlan,
  target: SidePlan,
): RuleVariant[] {
  let variants: RuleVariant[] = [[]];
  for (const key of matchingKeys) {
    const { alternatives } = compareKey(key, model, source, target);
    variants = variants.flatMap((variant) => alternatives.map((alt) => [...variant, alt]));
  }
  return variants;
}

/** Every choice of one slot per key: the rows one side contributes to a rule's join. */
export function slotCombinations(slotLists: string[][]): string[][] {
  return slotLists.reduce<string[][]>(
    (acc, list) => acc.flatMap((combo) => list.map((slot) => [...combo, slot])),
    [[]],
  );
}

export function ruleCombinationCount(variants: RuleVariant[]): number {
  return variants.reduce(
    (sum, variant) =>
      sum +
      slotCombinations(variant.map((v) => v.sourceSlots)).length +
      slotCombinations(variant.map((v) => v.targetSlots)).length,
    0,
  );
}
