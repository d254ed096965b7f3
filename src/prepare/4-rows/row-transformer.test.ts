import assert from "node:assert/strict";
import { test } from "node:test";
import { IDENTITY_KINDS, normalizeValue } from "../../normalize/index.ts";
import { DictionaryColumn } from "../6-parquet/dictionary-column.ts";
import type { StringColumn } from "../6-parquet/string-column.ts";
import { RowTransformer } from "./row-transformer.ts";

const RAW: Record<string, string[]> = {
  EMAIL_ADDRESS: [" Jane.Doe@Example.COM ", "\tjane@x.co\u00a0", "not an email "],
  PHONE: [" (212) 555-0100 ", "\u00a0+1 212 555 0100\t", " 12 "],
  NAME_FIRST: [" Zoë ", "\tJOSÉ\n"],
  NAME_LAST: [" Müller-Lüdenscheidt "],
  ADDRESS: ["  12 Main Street  ", "\u00a0Straße 5 "],
  ADDRESS_CITY: [" New York "],
  ADDRESS_STATE: [" Texas ", " ny\t", " Narnia "],
  ADDRESS_POSTALCODE: [" 10001-1234 ", "\t0210 "],
  ADDRESS_COUNTRY: [" United States ", " us"],
  MAID: [" 6D92078A-8246-4BA4-AE5B-76104861E7DC "],
  LRP: [" XY1005wXyWPB "],
  EXP: [" abc "],
  MKL: [" M1 "],
};

function values(column: StringColumn | DictionaryColumn): Array<string | null> {
  const plain = column instanceof DictionaryColumn ? column.plain() : column;
  return Array.from({ length: plain.count }, (_, i) =>
    plain.present[i] ? plain.bytes.toString("utf8", plain.start(i), plain.ends[i]) : null,
  );
}

// The transformer trims once and caches per plan: the values must stay exactly normalizeValue's.
test("transformed values equal normalizeValue for padded raw values of every kind, repeated across chunks", () => {
  for (const kind of IDENTITY_KINDS) {
    const raws = RAW[kind] ?? [];
    assert.ok(raws.length > 0, `${kind} has cases`);
    const plan = {
      idIndex: 0,
      countryIndex: -1,
      // A valid email on every row keeps rows whose value is invalid (or only a country) in the output.
      identity: [
        { kind, sources: [1] },
        { kind: "EMAIL_ADDRESS" as const, sources: [2] },
      ],
      fieldCount: 3,
      hash: false,
      country: "US",
    };
    for (let chunk = 0; chunk < 2; chunk++) {
      const transformer = new RowTransformer(plan);
      for (const [i, raw] of raws.entries()) transformer.push([`id${i}`, raw, "a@b.co"], i);
      const expected = raws.map((raw) => normalizeValue(kind, raw, "US"));
      assert.deepEqual(values(transformer.columns[1]!), expected, `${kind} chunk ${chunk}`);
    }
  }
});
