#!/usr/bin/env node
// Compiles src/ to dist/ (ESM JavaScript, .d.ts, source maps) with tsc -p tsconfig.build.json. It builds
// into a fresh folder and then swaps it in, so files moved or deleted in src/ leave nothing behind in
// dist/, and an interrupted build leaves the previous dist/ whole.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "dist");
const fresh = join(root, `dist.${process.pid}.tmp`);
const old = join(root, `dist.${process.pid}.old`);
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

rmSync(fresh, { recursive: true, force: true });
const compile = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json"), "--outDir", fresh], {
  stdio: "inherit",
});
if (compile.status !== 0) {
  rmSync(fresh, { recursive: true, force: true });
  process.stderr.write("build: tsc failed; dist/ is unchanged\n");
  process.exit(compile.status ?? 1);
}
chmodSync(join(fresh, "cli", "bin.js"), 0o755);
if (existsSync(dist)) renameSync(dist, old);
renameSync(fresh, dist);
rmSync(old, { recursive: true, force: true });
