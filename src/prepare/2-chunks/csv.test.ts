import assert from "node:assert/strict";
import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { encodingProblem, readHead } from "../1-source/dialect.ts";
import { csvChunks } from "./chunker.ts";
import { parseCsv, UnterminatedQuoteError } from "./parse.ts";

function records(text: string, delimiter = ","): Array<{ fields: string[]; row: number }> {
  const out: Array<{ fields: string[]; row: number }> = [];
  parseCsv(text, delimiter, (fields, row) => out.push({ fields: [...fields], row }));
  return out;
}

test("quoted fields hold delimiters, doubled quotes and newlines; CRLF and LF both end records", () => {
  const text = 'a,"b,c","say ""hi"""\r\n"multi\nline",x,\n\nlast,"",z';
  assert.deepEqual(records(text), [
    { fields: ["a", "b,c", 'say "hi"'], row: 0 },
    { fields: ["multi\nline", "x", ""], row: 1 },
    { fields: ["last", "", "z"], row: 3 },
  ]);
});

test("each delimiter is detected from the header", () => {
  for (const delimiter of [",", ";", "\t", "|"]) {
    const head = Buffer.from(
      `id${delimiter}email${delimiter}"phone${delimiter}home"\nC1${delimiter}a@b.co${delimiter}1\n`,
    );
    const parsed = readHead(head, true);
    assert.equal(parsed?.delimiter, delimiter, JSON.stringify(delimiter));
    assert.deepEqual(parsed?.header, ["id", "email", `phone${delimiter}home`]);
  }
});

test("a UTF-8 BOM is skipped; UTF-16 and binary files are refused", () => {
  const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("id,email\r\nC1,x@y.co\r\n")]);
  const head = readHead(withBom, true);
  assert.equal(head?.bom, true);
  assert.deepEqual(head?.header, ["id", "email"]);
  assert.equal(head?.dataStart, 3 + "id,email\r\n".length);
  assert.equal(encodingProblem(Buffer.from("\ufeffid,email\n", "utf16le")), "utf-16");
  assert.equal(encodingProblem(Buffer.from("id,email\n", "utf16le")), "utf-16");
  assert.equal(
    encodingProblem(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])),
    "binary",
  );
  assert.equal(encodingProblem(withBom), null);
});

test("an unterminated quote names its record", () => {
  assert.throws(
    () => records('a,b\nc,"open\n'),
    (e) => e instanceof UnterminatedQuoteError && e.row === 1,
  );
});

test("chunks always end on a record boundary, whatever the chunk size", async () => {
  const dir = await mkdtemp(join(tmpdir(), "idbridge-chunks-"));
  try {
    const lines: string[] = [];
    for (let i = 0; i < 300; i++) {
      lines.push(
        i % 7 === 0 ? `${i},"multi\nline ""${i}""",x` : i % 5 === 0 ? `${i},"a,b",""` : `${i},plain,y`,
      );
    }
    const text = `${lines.join("\n")}\n`;
    const path = join(dir, "c.csv");
    await writeFile(path, text);
    const expected = records(text).map((r) => r.fields);
    for (const size of [1, 2, 3, 7, 16, 64, 1000, 100_000]) {
      const file = await open(path, "r");
      try {
        const got: string[][] = [];
        for await (const chunk of csvChunks(file, 0, size)) {
          assert.equal(chunk[chunk.length - 1], 10, `chunk of size ${size} ends with a newline`);
          parseCsv(chunk.toString("utf8"), ",", (fields) => got.push([...fields]));
        }
        assert.deepEqual(got, expected, `chunk size ${size}`);
      } finally {
        await file.close();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
