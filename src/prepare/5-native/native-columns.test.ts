import assert from "node:assert/strict";
import { test } from "node:test";
import { COUNTRIES, generatedValues } from "../../../test/support/identity-values.ts";
import { asciiFastPathFor, type IdentityKind, trimAscii, trimAsciiEnd } from "../../normalize/index.ts";
import { FIELD_ESCAPED, FIELD_NON_ASCII, FieldOffsets } from "../2-chunks/scan.ts";
import type { TransformPlan } from "../types.ts";
import { EMPTY_VALUE, type NativeColumn, NativeColumns, NativeValueIds, NOT_MINE } from "./native-columns.ts";

const KINDS: IdentityKind[] = ["EMAIL_ADDRESS", "PHONE", "ADDRESS_POSTALCODE", "ADDRESS", "MAID"];

/** What the JS byte path makes of one field: the fast path's bytes, EMPTY_VALUE or NOT_MINE. */
function expected(
  kind: IdentityKind,
  src: Buffer,
  start: number,
  end: number,
  flags: number,
  country: string,
) {
  if (flags !== 0) return NOT_MINE;
  const from = trimAscii(src, start, end);
  const to = trimAsciiEnd(src, from, end);
  if (from === to) return EMPTY_VALUE;
  if (to - from === 64 && kind !== "MAID") return NOT_MINE;
  const out = Buffer.alloc(to - from + 16);
  const written = asciiFastPathFor(kind)!(src, from, to, out, 0, country);
  return written < 0 ? NOT_MINE : out.toString("latin1", 0, written);
}

test("the native column normalizer answers like the JS byte fast paths, value for value", (t) => {
  for (const country of COUNTRIES) {
    const plan: TransformPlan = {
      idIndex: 0,
      countryIndex: -1,
      identity: KINDS.map((kind, i) => ({ kind, sources: [i + 1] })),
      fieldCount: KINDS.length + 1,
      hash: true,
      country,
    };
    const records = 1000;
    const columns = NativeColumns.for(plan, records, () => false);
    if (!columns) {
      t.skip("the native addon is not built (no C compiler at install)");
      return;
    }
    const values = KINDS.map((kind, i) => generatedValues(kind, records, 11 + i + country.charCodeAt(0)));
    // Some non-ASCII and escaped fields, a digest, and records too short to have the field at all.
    values[0]![3] = "zoë@example.com";
    values[3]![4] = "a".repeat(64);
    const src = Buffer.from(values.flat().join(""), "latin1");
    const fields = new FieldOffsets(KINDS.length + 1, records);
    let at = 0;
    for (const [c, column] of values.entries()) {
      for (const [k, value] of column.entries()) {
        const i = k * fields.capacity + c + 1;
        fields.starts[i] = at;
        fields.ends[i] = at + value.length;
        fields.flags[i] = [...value].some((ch) => ch.charCodeAt(0) > 127)
          ? FIELD_NON_ASCII
          : k % 97 === 5
            ? FIELD_ESCAPED
            : 0;
        at += value.length;
      }
    }
    for (let k = 0; k < records; k++) fields.counts[k] = k % 101 === 7 ? 2 : KINDS.length + 1;
    columns.run(src, fields, records);
    for (const [c, kind] of KINDS.entries()) {
      const done: NativeColumn | null | undefined = columns.columns[c];
      const expectNative = kind !== "PHONE" || country === "US" || country === "CA";
      if (!done) {
        assert.ok(
          !expectNative ||
            (kind === "ADDRESS_POSTALCODE" &&
              !["US", "DE", "FR", "ES", "IT", "IN", "JP", "AU"].includes(country)),
          `${kind} in ${country} runs natively`,
        );
        continue;
      }
      for (let k = 0; k < records; k++) {
        const i = k * fields.capacity + c + 1;
        const length: number = done.lengths[k]!;
        const label = `${kind} ${JSON.stringify(values[c]![k])} in ${country}`;
        if (fields.counts[k]! <= c + 1) {
          assert.ok(length < 0, `${label}: a record without the field`);
          continue;
        }
        const want = expected(kind, src, fields.starts[i]!, fields.ends[i]!, fields.flags[i]!, country);
        const from: number = done.offsets[k]!;
        const got: string | number =
          length >= 0 ? Buffer.from(done.out).toString("latin1", from, from + length) : length;
        assert.equal(got, want, label);
      }
    }
  }
});

test("native value ids: equal bytes share an entry, escaped or missing fields get none, a full table starts over", (t) => {
  const numbered = NativeColumns.for(
    {
      idIndex: 0,
      countryIndex: -1,
      identity: [{ kind: "NAME_FIRST", sources: [1] }],
      fieldCount: 2,
      hash: true,
      country: "US",
    },
    4,
    () => true,
  );
  if (!numbered) {
    t.skip("the native addon is not built (no C compiler at install)");
    return;
  }
  // A table of 6 entries and 32 arena bytes, batches of 4 records: the third batch does not fit.
  const ids = new NativeValueIds(1, 4, 6, 32);
  const batch = (names: Array<string | null>, escaped = -1) => {
    const src = Buffer.from(names.map((n) => n ?? "").join(""));
    const fields = new FieldOffsets(2, 4);
    let at = 0;
    names.forEach((name, r) => {
      fields.counts[r] = name === null ? 1 : 2;
      fields.starts[r * 2 + 1] = at;
      fields.ends[r * 2 + 1] = at + (name ?? "").length;
      fields.flags[r * 2 + 1] = r === escaped ? FIELD_ESCAPED : 0;
      at += (name ?? "").length;
    });
    ids.run(src, fields, names.length);
    return [...ids.ids.subarray(0, names.length)];
  };
  assert.deepEqual(batch(["Ann", "Bob", "Ann", null]), [0, 1, 0, -1]);
  ids.computed[0] = 1;
  assert.deepEqual(batch(["Bob", "Cy", "Ann", "Dee"], 1), [1, -1, 0, 2]);
  assert.equal(ids.computed[0], 1, "entries live across batches");
  // 3 entries + 4 new ones would pass 6: the table starts over, and what was computed is forgotten.
  assert.deepEqual(batch(["Eve", "Fay", "Gus", "Eve"]), [0, 1, 2, 0]);
  assert.equal(ids.computed[0], 0);
});
