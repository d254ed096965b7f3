import {
  type AddressWordTable,
  addressWordTable,
  type IdentityKind,
  postalDigitCount,
} from "../../normalize/index.ts";
import type { FieldOffsets } from "../2-chunks/scan.ts";
import { native } from "../native-addon.ts";
import type { TransformPlan } from "../types.ts";

// Answers of native/ascii_normalize.c per record (a length ≥ 0 is a value).
export const NOT_MINE = -1;
export const EMPTY_VALUE = -2;

const KIND_EMAIL = 1;
const KIND_PHONE_NANP = 2;
const KIND_POSTAL_DIGITS = 3;
const KIND_ADDRESS = 4;
const KIND_LOWERCASE = 5;
const OUT_BYTES = 512 * 1024;
const NO_TABLE = { slots: new Int32Array(1), entries: new Int32Array(0), bytes: new Uint8Array(0) };

/** What prepare keeps per distinct raw value: RawValueCache's entries, or a NativeValueIds entry. */
export interface ValueEntries {
  readonly outcome: Uint8Array;
  readonly value: Array<string | null>;
  readonly dictionaryOf: Int32Array;
  readonly dictionaryIndex: Int32Array;
}

const ID_ENTRIES = 50_000;
const ID_ARENA_BYTES = 1024 * 1024;

/**
 * Entry numbers for the raw values of a repetitive column (names, cities, states, countries), handed out
 * by the addon a batch at a time from a table kept here in typed arrays; `computed` tells which entries
 * already hold their outcome and value. When the addon starts its table over, so does this.
 */
export class NativeValueIds implements ValueEntries {
  readonly ids: Int32Array;
  readonly outcome: Uint8Array;
  readonly value: Array<string | null>;
  readonly dictionaryOf: Int32Array;
  readonly dictionaryIndex: Int32Array;
  readonly computed: Uint8Array;
  private readonly slots: Int32Array;
  private readonly hashes: Int32Array;
  private readonly keyStarts: Int32Array;
  private readonly keyEnds: Int32Array;
  private readonly arena: Uint8Array;
  private readonly state: Int32Array;
  private generation = 0;

  constructor(
    readonly source: number,
    batch: number,
    entries = ID_ENTRIES,
    arenaBytes = ID_ARENA_BYTES,
  ) {
    this.ids = new Int32Array(batch);
    this.outcome = new Uint8Array(entries);
    this.value = new Array(entries).fill(null);
    this.dictionaryOf = new Int32Array(entries).fill(-1);
    this.dictionaryIndex = new Int32Array(entries);
    this.computed = new Uint8Array(entries);
    this.slots = new Int32Array(2 ** Math.ceil(Math.log2(2 * entries))).fill(-1);
    this.hashes = new Int32Array(entries);
    this.keyStarts = new Int32Array(entries);
    this.keyEnds = new Int32Array(entries);
    this.arena = new Uint8Array(arenaBytes);
    this.state = Int32Array.from([0, 0, 0, entries]);
  }

  run(src: Buffer, fields: FieldOffsets, records: number): void {
    native!.valueIds(
      src,
      fields.capacity,
      records,
      this.source,
      fields.starts,
      fields.ends,
      fields.flags,
      fields.counts,
      this.slots,
      this.hashes,
      this.keyStarts,
      this.keyEnds,
      this.arena,
      this.state,
      this.ids,
    );
    if (this.state[2] !== this.generation) {
      this.generation = this.state[2]!;
      this.computed.fill(0);
      this.value.fill(null);
      this.dictionaryOf.fill(-1);
    }
  }
}

export interface NativeColumn {
  /** Record k's value is out[offsets[k], offsets[k] + lengths[k]) when lengths[k] ≥ 0. */
  readonly out: Uint8Array;
  readonly lengths: Int32Array;
  readonly offsets: Int32Array;
}

interface Spec extends NativeColumn {
  source: number;
  kind: number;
  param: number;
  table: Pick<AddressWordTable, "slots" | "entries" | "bytes">;
}

/** The native kind of an identity column in the plan's default country, or 0 when it has none. */
function nativeKind(kind: IdentityKind, country: string): [number, number] {
  switch (kind) {
    case "EMAIL_ADDRESS":
      return [KIND_EMAIL, 0];
    case "PHONE":
      return country === "US" || country === "CA" ? [KIND_PHONE_NANP, 0] : [0, 0];
    case "ADDRESS_POSTALCODE": {
      const digits = postalDigitCount(country);
      return digits > 0 ? [KIND_POSTAL_DIGITS, digits] : [0, 0];
    }
    case "ADDRESS":
      return [KIND_ADDRESS, 0];
    case "MAID":
    case "LRP":
    case "EXP":
    case "MKL":
      return [KIND_LOWERCASE, 0];
    default:
      return [0, 0];
  }
}

/**
 * The identity columns whose ASCII values the native addon normalizes a whole scanned batch at a time
 * (email, US/CA phone, digit postal codes, addresses, third-party ids), in the plan's default country —
 * the twin of their byte fast paths in normalize/ascii-bytes.ts. Rows of another country and values the
 * addon leaves (NOT_MINE) take the JS paths.
 */
export class NativeColumns {
  readonly columns: Array<NativeColumn | null>;
  /** Per identity column: entry numbers of its raw values, for the repetitive kinds (`repeats`). */
  readonly ids: Array<NativeValueIds | null>;
  /** Entry numbers of the country field's raw values (the row's country), when there is such a field. */
  readonly countryIds: NativeValueIds | null;
  private readonly specs: Spec[];

  private constructor(plan: TransformPlan, batch: number, repeats: (kind: string) => boolean) {
    this.specs = [];
    this.ids = plan.identity.map((column) =>
      repeats(column.kind) && column.sources.length === 1
        ? new NativeValueIds(column.sources[0]!, batch)
        : null,
    );
    this.countryIds =
      plan.countryIndex >= 0 ? new NativeValueIds(plan.countryIndex, batch, 4096, 64 * 1024) : null;
    this.columns = plan.identity.map((column) => {
      const [kind, param] = nativeKind(column.kind as IdentityKind, plan.country);
      if (kind === 0 || column.sources.length !== 1) return null;
      const spec: Spec = {
        source: column.sources[0]!,
        kind,
        param,
        table: kind === KIND_ADDRESS ? addressWordTable(plan.country) : NO_TABLE,
        out: new Uint8Array(OUT_BYTES),
        lengths: new Int32Array(batch),
        offsets: new Int32Array(batch),
      };
      this.specs.push(spec);
      return spec;
    });
  }

  /** For a plan with at least one such column when the addon is built; null otherwise. */
  static for(plan: TransformPlan, batch: number, repeats: (kind: string) => boolean): NativeColumns | null {
    if (!native) return null;
    const columns = new NativeColumns(plan, batch, repeats);
    return columns.specs.length > 0 || columns.countryIds !== null || columns.ids.some((ids) => ids !== null)
      ? columns
      : null;
  }

  /** Normalizes the batch's `records` records (fields as scanCsvFast left them). */
  run(src: Buffer, fields: FieldOffsets, records: number): void {
    for (const ids of this.ids) ids?.run(src, fields, records);
    this.countryIds?.run(src, fields, records);
    const normalize = native!.normalizeAsciiColumn;
    for (const spec of this.specs) {
      const { lengths, offsets } = spec;
      normalize(
        spec.kind,
        spec.param,
        src,
        fields.capacity,
        records,
        spec.source,
        fields.starts,
        fields.ends,
        fields.flags,
        fields.counts,
        spec.out,
        lengths,
        spec.table.slots,
        spec.table.entries,
        spec.table.bytes,
      );
      let at = 0;
      for (let k = 0; k < records; k++) {
        offsets[k] = at;
        const length = lengths[k]!;
        if (length > 0) at += length;
      }
    }
  }
}
