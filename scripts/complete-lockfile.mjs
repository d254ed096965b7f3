#!/usr/bin/env node
// The npm registry this project's machines reach serves only the linux builds of platform-specific
// optional packages (DuckDB bindings, Biome, esbuild…), so `npm install` leaves the other platforms
// out of package-lock.json and `npm ci` then refuses the lock as out of sync. This adds a lock entry
// for each such package with its os/cpu/libc, so npm ci skips them on a platform mismatch exactly as
// it would with a complete lock. Run after any dependency change: node scripts/complete-lockfile.mjs
import fs from "node:fs";

const lockPath = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(fs.readFileSync(lockPath, "utf8"));
const packages = lock.packages;
const OS = ["darwin", "linux", "win32", "android", "freebsd", "openbsd", "netbsd", "sunos", "aix", "openharmony"];
const CPU = ["arm64", "x64", "arm", "ia32", "riscv64", "ppc64", "s390x", "loong64", "mips64el", "wasm32"];

function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.find((p) => CPU.includes(p));
  if (!os || !cpu) return undefined;
  const libc = os === "linux" ? (parts.includes("musl") ? "musl" : parts.includes("gnu") ? "glibc" : undefined) : undefined;
  return { os: [os], cpu: [cpu], ...(libc ? { libc: [libc] } : {}) };
}

let added = 0;
for (const [where, entry] of Object.entries(packages)) {
  for (const [dep, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = where ? `${where}/node_modules/${dep}` : `node_modules/${dep}`;
    if (packages[base] || packages[`node_modules/${dep}`]) continue;
    const platform = platformOf(dep);
    if (!platform) continue;
    const version = String(spec).replace(/^[\^~=]/, "");
    packages[`node_modules/${dep}`] = { version, optional: true, ...platform };
    added++;
  }
}
fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} platform entries`);
