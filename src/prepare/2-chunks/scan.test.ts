import assert from "node:assert/strict";
import { test } from "node:test";
import { Random } from "../../synth/random.ts";
import { native } from "../native-addon.ts";
import { type ScanResult, scanCsvFast } from "./scan.ts";

interface Scanned {
  records: Array<{ row: number; count: number; fields: number[] }>;
  result: ScanResult;
}

function scan(bytes: Buffer, delimiter: string, capacity: number, useNative: boolean): Scanned {
  const records: Scanned["records"] = [];
  const result = scanCsvFast(
    bytes,
    delimiter.charCodeAt(0),
    capacity,
    (fields, row) => {
      const stored = Math.min(fields.count, capacity);
      const values: number[] = [];
      for (let f = 0; f < stored; f++) {
        const i = fields.base + f;
        values.push(fields.starts[i]!, fields.ends[i]!, fields.flags[i]!);
      }
      records.push({ row, count: fields.count, fields: values });
    },
    useNative,
  );
  return { records, result };
}

const PIECES = ["a", "Zoë", " ", "x y", '"', '""', '"q"', ",", ";", "\n", "\r\n", "\r", "é", "12", ""];

function generate(random: Random, lines: number): string {
  let text = "";
  for (let line = 0; line < lines; line++) {
    const fields = Array.from({ length: random.int(6) }, () => {
      const raw = Array.from({ length: random.int(3) }, () => random.pick(PIECES)).join("");
      return random.chance(0.4) ? `"${raw.replaceAll('"', '""')}"` : raw.replaceAll(/[",\n\r]/g, "");
    });
    // Now and then a malformed record: text after a closing quote, or a quote that never closes.
    if (random.chance(0.01)) fields.push('"a"b');
    if (random.chance(0.005)) fields.push('"open');
    text += fields.join(",") + random.pick(["\n", "\r\n", "\n", "\n\n"]);
  }
  return random.chance(0.5) ? text : text.slice(0, -1);
}

test("the native scanner finds the same records, fields, flags, rows and stop as the JavaScript one", (t) => {
  if (!native) {
    t.skip("the native addon is not built (no C compiler at install)");
    return;
  }
  for (let round = 0; round < 60; round++) {
    const random = new Random(3, round, 0);
    // Up to 3,000 lines: more than one native batch of records.
    const bytes = Buffer.from(generate(random, 1 + random.int(3000)));
    for (const capacity of [1, 3, 8]) {
      const js = scan(bytes, ",", capacity, false);
      const c = scan(bytes, ",", capacity, true);
      assert.deepEqual(c.result, js.result, `round ${round} capacity ${capacity}: result`);
      assert.equal(c.records.length, js.records.length, `round ${round} capacity ${capacity}: records`);
      assert.deepEqual(c.records, js.records, `round ${round} capacity ${capacity}`);
    }
  }
});

test("both scanners take CRLF, quoted newlines and escapes, and stop at a record they leave to the text parser", () => {
  const text = 'id,name\r\n1,"a,b"\r\n\r\n2,"say ""hi"""\n3,"multi\nline"\n4,"x"y\n5,z\n';
  for (const useNative of native ? [false, true] : [false]) {
    const { records, result } = scan(Buffer.from(text), ",", 4, useNative);
    assert.deepEqual(
      records.map((r) => [r.row, r.count]),
      [
        [0, 2],
        [1, 2],
        [3, 2],
        [4, 2],
      ],
    );
    assert.equal(result.stop, text.indexOf("4,"), "stops at the record with text after a closing quote");
    assert.equal(result.records, 5);
    const [, , , start, end, flags] = records[2]!.fields;
    assert.equal(text.slice(start, end), 'say ""hi""');
    assert.equal(flags, 2, "escaped");
  }
});

test("both scanners agree on the edges: the last record without a newline, a lone CR, a delimiter at the end", (t) => {
  if (!native) {
    t.skip("the native addon is not built (no C compiler at install)");
    return;
  }
  const edges = [
    'a,"x"\r',
    'a,"x"',
    "a,b,",
    "a\r",
    "\r",
    '""',
    '"',
    'a,"b"c',
    "\n\n",
    "a,b\r\nc",
    '"a""',
    'é,"ü"\r\n',
  ];
  for (const text of edges) {
    for (const capacity of [1, 2, 4]) {
      const bytes = Buffer.from(text);
      assert.deepEqual(
        scan(bytes, ",", capacity, true),
        scan(bytes, ",", capacity, false),
        JSON.stringify(text),
      );
    }
  }
});
