import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AwsError } from "../cloud/aws-error.ts";
import { readJsonObject } from "./body.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("readJsonObject", () => {
  it("reads a JSON object; an empty or blank body is {}", async () => {
    assert.deepEqual(await readJsonObject(bytes('{"a":1}'), "SerializationException"), { a: 1 });
    assert.deepEqual(await readJsonObject(bytes(""), "SerializationException"), {});
    assert.deepEqual(await readJsonObject(bytes(" \n"), "BAD_REQUEST"), {});
  });

  it("refuses broken JSON and non-objects with the protocol's code and 400", async () => {
    for (const [text, message] of [
      ["{", /not valid JSON/],
      ["[1]", /must be a JSON object/],
      ["null", /must be a JSON object/],
      ['"x"', /must be a JSON object/],
    ] as const) {
      for (const code of ["SerializationException", "BAD_REQUEST"]) {
        await assert.rejects(readJsonObject(bytes(text), code), (error: unknown) => {
          assert.ok(error instanceof AwsError);
          assert.equal(error.code, code);
          assert.equal(error.status, 400);
          assert.match(error.message, message);
          return true;
        });
      }
    }
  });
});
