import {
  type AddressWordTable,
  addressWordTable,
  type IdentityKind,
  postalDigitCount,
} from "../normalize/index.ts";
import type { FieldOffsets } from "./csv/scan.ts";
import { native } from "./native.ts";
import type { TransformPlan } from "./row-transformer.ts";

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
  private readonly specs: Spec[];

  private constructor(plan: TransformPlan, batch: number) {
    this.specs = [];
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
  static for(plan: TransformPlan, batch: number): NativeColumns | null {
    if (!native) return null;
    const columns = new NativeColumns(plan, batch);
    return columns.specs.length > 0 ? columns : null;
  }

  /** Normalizes the batch's `records` records (fields as scanCsvFast left them). */
  run(src: Buffer, fields: FieldOffsets, records: number): void {
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
