import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { sha256Hex } from "../../normalize/index.ts";
import { encodeRowGroup } from "./column-chunk.ts";
import { ParquetFileWriter } from "./parquet-file-writer.ts";
import {
  nativeHashing,
  useShaExtensions,
  writeSha256HexValues,
  writeSha256HexValuesPortable,
} from "./sha256-hex-batch.ts";
import { StringColumn } from "./string-column.ts";

function hashBytes(value: Buffer): string {
  return createHash("sha256").update(value).digest("hex");
}

function column(values: Array<string | null>): StringColumn {
  const c = new StringColumn();
  for (const v of values) v === null ? c.appendNull() : c.append(v);
  return c;
}

test("the Parquet writer's files read back in DuckDB: nulls, UTF-8, hashes, several row groups", async () => {
  const dir = await mkdtemp(join(tmpdir(), "idbridge-parquet-"));
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const path = join(dir, "t.parquet");
    const writer = await ParquetFileWriter.create(path, ["id", "email", "name"], [true, false, false]);
    const encodings = [
      { required: true, sha256: false },
      { required: false, sha256: true },
      { required: false, sha256: false },
    ];
    await writer.write(
      encodeRowGroup(
        [column(["a", "b", "c"]), column(["x@y.co", null, "é@ü.de"]), column([null, "Zoë", null])],
        encodings,
      ),
    );
    const many = Array.from({ length: 5000 }, (_, i) => `id${i}`);
    await writer.write(
      encodeRowGroup(
        [column(many), column(many.map((v, i) => (i % 3 ? `${v}@x.co` : null))), column(many.map(() => "n"))],
        encodings,
      ),
    );
    await writer.close();
    const rows = (
      await connection.runAndReadAll("SELECT id, email, name FROM read_parquet($1)", [path])
    ).getRows();
    assert.equal(rows.length, 5003);
    assert.deepEqual(rows[0], ["a", sha256Hex("x@y.co"), null]);
    assert.deepEqual(rows[1], ["b", null, "Zoë"]);
    assert.deepEqual(rows[2], ["c", sha256Hex("é@ü.de"), null]);
    assert.deepEqual(rows[4], ["id1", sha256Hex("id1@x.co"), "n"]);
    assert.equal(rows[3]![1], null, "every third email of the second group is null");
    const schema = (
      await connection.runAndReadAll("SELECT name, repetition_type FROM parquet_schema($1)", [path])
    ).getRows();
    assert.deepEqual(schema.slice(1), [
      ["id", "REQUIRED"],
      ["email", "OPTIONAL"],
      ["name", "OPTIONAL"],
    ]);
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
});

test("batch hashing (native when built) equals node:crypto byte for byte; 64-hex values pass through", () => {
  const digest = sha256Hex("already@hashed.co");
  // Every length from 0 to 200 bytes crosses the one/two padding-block boundary (55/56) and block sizes.
  const lengths = Array.from({ length: 201 }, (_, n) => "abcdefghij".repeat(21).slice(0, n));
  const values = ["", "a", "abc@example.com", "ünïcödé", digest, null, "14138714499", ...lengths];
  const c = column(values);
  const present = values.filter((v): v is string => v !== null);
  const expected = Buffer.alloc(68 * present.length);
  present.forEach((v, i) => {
    expected.writeUInt32LE(64, i * 68);
    expected.write(v === digest ? digest : sha256Hex(v), i * 68 + 4, "latin1");
  });
  const portable = Buffer.alloc(expected.length);
  assert.equal(writeSha256HexValuesPortable(c, portable, 0), expected.length);
  assert.ok(portable.equals(expected), "portable path");
  // The native hasher with the CPU's SHA extensions (two values at a time) and with OpenSSL alone.
  for (const extensions of [true, false]) {
    const inUse = useShaExtensions(extensions);
    const fast = Buffer.alloc(expected.length);
    assert.equal(writeSha256HexValues(c, fast, 0), expected.length);
    assert.ok(fast.equals(expected), `batch path (native: ${nativeHashing}, SHA-NI: ${inUse})`);
  }
  useShaExtensions(true);
});

test("batch hashing equals node:crypto on random bytes of every single- and two-block length, odd counts and gaps", () => {
  const values: Array<Buffer | null> = [];
  let seed = 1;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 8;
  };
  for (let i = 0; i < 3001; i++) {
    if (next() % 10 === 0) values.push(null);
    else values.push(Buffer.from(Array.from({ length: next() % 140 }, () => next() & 255)));
  }
  const c = new StringColumn();
  for (const v of values) v === null ? c.appendNull() : c.appendBytes(v, 0, v.length);
  const present = values.filter((v): v is Buffer => v !== null);
  const expected = Buffer.alloc(68 * present.length);
  present.forEach((v, i) => {
    expected.writeUInt32LE(64, i * 68);
    expected.write(hashBytes(v), i * 68 + 4, "latin1");
  });
  for (const extensions of [true, false]) {
    useShaExtensions(extensions);
    const out = Buffer.alloc(expected.length);
    assert.equal(writeSha256HexValues(c, out, 0), expected.length);
    assert.ok(out.equals(expected), `SHA-NI ${extensions}`);
  }
  useShaExtensions(true);
});
