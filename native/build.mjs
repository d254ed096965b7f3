#!/usr/bin/env node
// Builds the optional native addon (build/Release/idbridge_native.node: batch SHA-256, CSV scanner) with
// the system C compiler against the headers that ship with Node (no node-gyp, no download). Never fails the
// install: without a compiler or headers, prepare uses its JavaScript paths (same output, only slower).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const include = join(dirname(process.execPath), "..", "include", "node");
const output = join(root, "build", "Release", "idbridge_native.node");
const sources = ["addon.c", "sha256_batch.c", "csv_scan.c", "ascii_normalize.c"].map((file) => join(root, "native", file));
const say = (message) => process.stderr.write(`idbridge: ${message}\n`);

if (!existsSync(join(include, "node_api.h")) || !existsSync(join(include, "openssl", "sha.h"))) {
  say("Node headers not found; prepare hashes with node:crypto (same output, slower)");
  process.exit(0);
}
mkdirSync(dirname(output), { recursive: true });
// Node itself provides the N-API and OpenSSL symbols at load time, so nothing is linked in.
const platformFlags = process.platform === "darwin" ? ["-undefined", "dynamic_lookup"] : [];
const compile = spawnSync(
  process.env.CC ?? "cc",
  ["-O3", "-shared", "-fPIC", `-I${include}`, ...platformFlags, ...sources, "-o", output],
  { stdio: process.env.IDBRIDGE_NATIVE_VERBOSE ? "inherit" : "ignore", timeout: 120_000 },
);
if (compile.status !== 0 || !existsSync(output)) {
  say("native addon not built (no C compiler?); prepare uses its JavaScript paths (same output, slower)");
}
process.exit(0);
