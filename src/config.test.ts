import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { awsRegion, ConfigError, DEFAULT_HOME, ENVIRONMENT, homeDir, setting } from "./config.ts";

const ROOT = join(import.meta.dirname, "..");
const names = Object.values(ENVIRONMENT).map((variable) => variable.name);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === "node_modules" || entry.name === ".work" ? [] : sourceFiles(path);
    return /\.(ts|mjs)$/.test(entry.name) ? [path] : [];
  });
}

describe("configuration", () => {
  it("gives each setting its default when unset or empty, and the variable's value when set", () => {
    assert.equal(setting("home", {}), DEFAULT_HOME);
    assert.equal(setting("home", { IDBRIDGE_HOME: "" }), DEFAULT_HOME, "empty counts as unset");
    assert.equal(setting("home", { IDBRIDGE_HOME: "/tmp/cloud" }), "/tmp/cloud");
    assert.equal(homeDir("given", { IDBRIDGE_HOME: "/tmp/cloud" }), "given", "an explicit --home wins");
    assert.equal(homeDir(undefined, { IDBRIDGE_HOME: "/tmp/cloud" }), "/tmp/cloud");
    assert.equal(setting("stage", {}), "dev");
    assert.equal(setting("amcGraphPeople", {}), 20_000);
    assert.equal(setting("amcGraphPeople", { IDBRIDGE_AMC_GRAPH_PEOPLE: "300" }), 300);
    assert.equal(setting("prepared", {}), undefined);
    assert.equal(awsRegion(undefined, {}), "us-east-1");
    assert.equal(awsRegion(undefined, { AWS_REGION: "eu-west-1" }), "eu-west-1");
  });

  it("reads a switch as on for any value but empty or 0", () => {
    assert.equal(setting("noNative", {}), false);
    assert.equal(setting("noNative", { IDBRIDGE_NO_NATIVE: "0" }), false);
    assert.equal(setting("noNative", { IDBRIDGE_NO_NATIVE: "1" }), true);
    assert.equal(setting("noNative", { IDBRIDGE_NO_NATIVE: "yes" }), true);
  });

  it("refuses a number it cannot use, naming the variable and what to set", () => {
    assert.throws(
      () => setting("amcGraphSeed", { IDBRIDGE_AMC_GRAPH_SEED: "4.5" }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message.includes("IDBRIDGE_AMC_GRAPH_SEED") &&
        error.hint.includes("IDBRIDGE_AMC_GRAPH_SEED=42"),
    );
  });

  it("defines every IDBRIDGE_* variable the sources mention, and nothing else reads process.env for one", () => {
    const files = [
      ...sourceFiles(join(ROOT, "src")),
      ...sourceFiles(join(ROOT, "bench")),
      join(ROOT, "native", "build.mjs"),
    ];
    const unknown = new Set<string>();
    const directReads: string[] = [];
    for (const file of files) {
      // Tests may pass private variables to the processes they start; the settings are for everyone else.
      if (
        /\.test(-support)?\.ts$|test-fixtures|test-helpers|testing\.ts$/.test(file) ||
        file.endsWith("config.ts")
      )
        continue;
      const text = readFileSync(file, "utf8");
      for (const [name] of text.matchAll(/\bIDBRIDGE_[A-Z][A-Z0-9_]*\b/g)) {
        // IDBRIDGE_NATIVE_ADDON is a bundler constant (prepare/native.ts), not a variable.
        if (!names.includes(name) && name !== "IDBRIDGE_NATIVE_ADDON") unknown.add(name);
      }
      // Two exceptions: the install script runs before anything is built, and a stack file `init` writes is user code.
      if (
        /process\.env(\.|\[")IDBRIDGE_/.test(text) &&
        !/(native\/build\.mjs|starter-stack\.ts)$/.test(file)
      ) {
        directReads.push(relative(ROOT, file));
      }
    }
    assert.deepEqual([...unknown], [], "add these to ENVIRONMENT in src/config.ts");
    assert.deepEqual(directReads, [], "read IDBRIDGE_* variables through setting() from src/config.ts");
  });
});
