import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildProgram } from "./index.ts";

describe("cli", () => {
  it("registers every top-level command", () => {
    const names = buildProgram().commands.map((c) => c.name());
    for (const expected of ["demo", "prepare", "synth", "match", "evaluate", "serve", "amc", "up", "init"]) {
      assert.ok(names.includes(expected), `missing command ${expected}`);
    }
  });
});
