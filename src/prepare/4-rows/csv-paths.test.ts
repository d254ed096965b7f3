import assert from "node:assert/strict";
import { test } from "node:test";
import { Random } from "../../synth/random.ts";
import { parseCsv, UnterminatedQuoteError } from "../2-chunks/parse.ts";
import { processCsvChunk } from "../3-workers/chunk-processor.ts";
import { encodeRowGroup } from "../6-parquet/column-chunk.ts";
import type { ChunkOutcome, TransformPlan } from "../types.ts";
import { RowTransformer } from "./row-transformer.ts";
import { columnEncodings, RaggedRowError } from "./string-path.ts";

// CSV chunks go through the byte scanner and the byte-keyed caches and fast paths (scan.ts, pushRecord);
// Parquet input and odd records through parseCsv + push on strings. Both must write the same row group
// and count the same, byte for byte, whatever the file holds.

const VALUES: Record<string, string[]> = {
  id: ["C1", " C2 ", "", "ÄÖ-7", '"q"', "  "],
  email: [
    " Jane.Doe@Example.COM ",
    "bob@x.co",
    "not an email",
    "",
    "Zoë@exämple.de",
    "a b@c.io",
    "A".repeat(64),
    "ab".repeat(32),
    "x@y.z",
  ],
  first: ["John", " JOSÉ ", "Zoë", "Anne-Marie", "O'Neil", "", "\u00a0Li", "Grace", "Søren", "12"],
  last: ["Smith", "García", "Müller", "Groß", "", "lee", "LEE "],
  phone: [
    "+1 (212) 555-0100",
    "212.555.0100",
    "020 7946 0018",
    "+44 20 7946 0018",
    "555-0100",
    "",
    "12",
    "1-800-555-0199 x2",
  ],
  address: ["12 Main Street", "  Straße 5 ", "1 Rue de la Paix, Apt 4", "PO Box 7", "", "Suite #2\nFloor 3"],
  city: ["New York", "SEATTLE", "München", "", "Los Angeles"],
  state: ["Texas", "TX", "ny", "Narnia", "", "Bayern", "Île-de-France", "Ontario"],
  zip: ["10001-1234", "94105", "1234", "", "K1A 0B1", "SW1A 1AA", "75001", "110001"],
  country: ["US", "United States", "usa", "Canada", "GB", "DE", "Deutschland", "", "Narnia", "FR", "IN"],
  maid: ["6D92078A-8246-4BA4-AE5B-76104861E7DC", " X ", ""],
};
const HEADER = Object.keys(VALUES);

function field(random: Random, value: string, delimiter: string): string {
  const needsQuotes = /["\n\r]/.test(value) || value.includes(delimiter);
  if (needsQuotes || random.chance(0.15)) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

function csvText(random: Random, rows: number, delimiter: string): string {
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    if (random.chance(0.02)) {
      lines.push(random.pick(["", "\r", '""'])); // blank lines and a quoted empty line
      continue;
    }
    const fields = HEADER.map((name) => field(random, random.pick(VALUES[name]!), delimiter));
    lines.push(fields.join(delimiter) + (random.chance(0.3) ? "\r" : ""));
  }
  return `${lines.join("\n")}${random.chance(0.5) ? "\n" : ""}`;
}

function plan(overrides: Partial<TransformPlan> = {}): TransformPlan {
  return {
    idIndex: 0,
    countryIndex: 9,
    identity: [
      { kind: "EMAIL_ADDRESS", sources: [1] },
      { kind: "NAME_FIRST", sources: [2] },
      { kind: "NAME_LAST", sources: [3] },
      { kind: "PHONE", sources: [4] },
      { kind: "ADDRESS", sources: [5] },
      { kind: "ADDRESS_CITY", sources: [6] },
      { kind: "ADDRESS_STATE", sources: [7] },
      { kind: "ADDRESS_POSTALCODE", sources: [8] },
      { kind: "ADDRESS_COUNTRY", sources: [9] },
      { kind: "MAID", sources: [10] },
    ],
    fieldCount: HEADER.length,
    hash: true,
    country: "US",
    ...overrides,
  };
}

/** The reference: the whole chunk decoded, parsed as text and pushed as strings. */
function viaText(transformPlan: TransformPlan, text: string, delimiter: string): ChunkOutcome {
  const transformer = new RowTransformer(transformPlan);
  try {
    const records = parseCsv(text, delimiter, (fields, row) => transformer.push(fields, row));
    transformer.finish();
    return {
      ok: true,
      group: encodeRowGroup(transformer.columns, columnEncodings(transformPlan)),
      stats: transformer.stats,
      records,
    };
  } catch (error) {
    if (error instanceof RaggedRowError)
      return {
        ok: false,
        failure: { type: "ragged", row: error.row, expected: error.expected, actual: error.actual },
      };
    if (error instanceof UnterminatedQuoteError)
      return { ok: false, failure: { type: "unterminated-quote", row: error.row } };
    throw error;
  }
}

function viaBytes(transformPlan: TransformPlan, text: string, delimiter: string): ChunkOutcome {
  return processCsvChunk(transformPlan, { bytes: Buffer.from(text, "utf8"), delimiter });
}

/** `plans` = [text path's, byte path's]: caches live per plan, so each path keeps its own across chunks. */
function assertSame(
  text: string,
  delimiter: string,
  overrides: Partial<TransformPlan>,
  label: string,
  plans = [plan(overrides), plan(overrides)],
): void {
  const expected = viaText(plans[0]!, text, delimiter);
  const actual = viaBytes(plans[1]!, text, delimiter);
  if (!expected.ok || !actual.ok) {
    assert.deepEqual(actual, expected, label);
    return;
  }
  assert.deepEqual(actual.stats, expected.stats, `${label}: stats`);
  // Every row with an id is counted in exactly one country.
  const counted = Object.values(actual.stats.countries).reduce((sum, n) => sum + n, 0);
  assert.equal(counted, actual.stats.rowsIn - actual.stats.missingId, `${label}: rows per country`);
  assert.equal(actual.records, expected.records, `${label}: records`);
  assert.equal(actual.group.rows, expected.group.rows, `${label}: rows`);
  assert.ok(actual.group.buffer.equals(expected.group.buffer), `${label}: row group bytes differ`);
}

test("the byte path writes the same row group and counts as the text path, on generated messy CSV", () => {
  const settings: Array<[string, Partial<TransformPlan>]> = [
    [",", {}],
    [";", { hash: false }],
    ["\t", { dictionary: false }],
    [",", { countryIndex: -1, country: "GB" }],
    ["|", { country: "IN" }],
  ];
  for (const [index, [delimiter, overrides]] of settings.entries()) {
    // One plan per path for all chunks, as in a worker: cached values (and their dictionary indices of an
    // earlier row group) carry over from chunk to chunk.
    const plans = [plan(overrides), plan(overrides)];
    for (let chunk = 0; chunk < 4; chunk++) {
      const random = new Random(11, index, chunk);
      // Chunks of more than one native scan batch (1,024 records) too.
      const text = csvText(random, [400, 2500, 1100, 300][chunk]!, delimiter);
      assertSame(text, delimiter, overrides, `settings ${index} chunk ${chunk}`, plans);
    }
  }
});

// Batches whose every record has the header's field count, an unquoted ASCII id (or none) and the plan's
// country go in column by column (RowTransformer.pushBatch); a row without identity values among them makes
// the batch start over record by record.
test("regular batches, taken column by column, write the same row group and counts as the text path", () => {
  const settings: Array<[string, Partial<TransformPlan>]> = [
    ["US", {}],
    ["US", { dictionary: false }],
    ["", { countryIndex: -1 }],
    ["US", { hash: false }],
  ];
  for (const [index, [country, overrides]] of settings.entries()) {
    const plans = [plan(overrides), plan(overrides)];
    for (let chunk = 0; chunk < 3; chunk++) {
      const random = new Random(23, index, chunk);
      const lines: string[] = [];
      for (let r = 0; r < [2500, 1024, 700][chunk]!; r++) {
        const id = random.chance(0.03)
          ? random.pick(["", "  "])
          : random.pick([`C${r}`, ` C${r} `, `c-${r}`]);
        // Now and then a row with nothing but its id (and the country): it is dropped.
        const empty = chunk !== 1 && random.chance(0.01);
        const fields = HEADER.slice(1).map((name) =>
          name === "country" ? country : empty ? "" : field(random, random.pick(VALUES[name]!), ","),
        );
        lines.push([id, ...fields].join(","));
      }
      assertSame(`${lines.join("\n")}\n`, ",", overrides, `settings ${index} chunk ${chunk}`, plans);
    }
  }
});

test("address parts joined from several columns agree on both paths", () => {
  const random = new Random(5, 0, 0);
  const text = csvText(random, 300, ",");
  assertSame(
    text,
    ",",
    {
      identity: [
        { kind: "ADDRESS", sources: [5, 6, 7] },
        { kind: "EMAIL_ADDRESS", sources: [1] },
      ],
    },
    "joined",
  );
});

test("records the scanner leaves to the text parser (text after a closing quote) come out the same", () => {
  const rows = [
    "C1,a@b.co,Jo,Li,2125550100,1 Main St,Austin,TX,78701,US,",
    'C2,"a"@b.co,Jo,Li,2125550100,"1 Main" St,Austin,TX,78701,US,',
    "C3,c@d.co,Zoë,Groß,2125550101,2 Main St,Austin,TX,78701,US,",
  ];
  assertSame(`${rows.join("\n")}\n`, ",", {}, "irregular");
});

test("ragged rows and unterminated quotes fail at the same row on both paths", () => {
  const good = "C1,a@b.co,Jo,Li,2125550100,1 Main St,Austin,TX,78701,US,";
  const cases = [
    `${good}\n${good}\nC3,a@b.co\n`,
    `${good}\r\n\r\n${good},extra\r\n`,
    `${good}\n"C2,a@b.co,Jo\n`,
    `${good}\n${good.replace("1 Main St", '"1 Main\nSt')}\n`,
  ];
  for (const [index, text] of cases.entries()) {
    const outcome = viaBytes(plan(), text, ",");
    assert.equal(outcome.ok, false, `case ${index} fails`);
    assert.deepEqual(outcome, viaText(plan(), text, ","), `case ${index}`);
  }
});
