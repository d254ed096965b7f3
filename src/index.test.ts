import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as idbridge from "./index.ts";

describe("package entry", () => {
  it("exposes each part's public API", () => {
    for (const name of ["prepare", "normalizeValue", "runIdMapping", "synth", "evaluate", "startServer"]) {
      assert.equal(typeof (idbridge as Record<string, unknown>)[name], "function", `${name} is exported`);
    }
    assert.equal(typeof idbridge.idbridge.app, "function", "idbridge.app is exported");
    assert.equal(idbridge.normalizeValue("EMAIL_ADDRESS", " Abc@Example.com "), "abc@example.com");
  });
});
