import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { setting } from "../../config.ts";

// Installed, idbridge runs compiled (dist/): a worker starts from csv-worker.js, plain JavaScript. Run from
// its TypeScript sources (tests, bench, development), a worker that loads them through tsx spends ~0.5 s of
// CPU resolving and loading some forty modules before it takes its first chunk; one pre-bundled ES module
// loads in ~80 ms. That bundle is built with esbuild (a development dependency) on first use and rebuilt
// whenever a source it was built from (or the installed packages) changed, like tsx's own transform
// cache. Anything going wrong falls back to the tsx entry.

const COMPILED = !import.meta.url.endsWith(".ts");

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const SOURCE = fileURLToPath(new URL("./csv-worker.ts", import.meta.url));
const FALLBACK = new URL("./csv-worker-entry.mjs", import.meta.url);
const ADDON = join(ROOT, "build", "Release", "idbridge_native.node");
// npm rewrites this file on every install: a changed dependency shows up in its mtime.
const INSTALLED = join(ROOT, "node_modules", ".package-lock.json");

interface Manifest {
  /** The entry it was built from: a cache shared by two checkouts (a linked node_modules) must not mix them. */
  source: string;
  inputs: Array<{ path: string; mtimeMs: number; size: number }>;
}

const built = new Map<string, URL>();

/**
 * The module a prepare worker runs: compiled, csv-worker.js beside this file; from the sources, the
 * up-to-date bundle, or the tsx entry when it cannot be had.
 */
export async function csvWorkerEntry(
  cacheDir = join(ROOT, "node_modules", ".cache", "idbridge"),
): Promise<URL> {
  if (COMPILED) return new URL("./csv-worker.js", import.meta.url);
  if (setting("noWorkerBundle")) return FALLBACK;
  const known = built.get(cacheDir);
  if (known) return known;
  const bundle = join(cacheDir, "csv-worker.mjs");
  const manifestPath = join(cacheDir, "csv-worker.json");
  try {
    if (!isFresh(manifestPath)) await build(bundle, manifestPath);
    const url = pathToFileURL(bundle);
    built.set(cacheDir, url);
    return url;
  } catch {
    return FALLBACK;
  }
}

function isFresh(manifestPath: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
    if (manifest.source !== SOURCE) return false;
    return manifest.inputs.every((input) => {
      const info = statSync(input.path);
      return info.mtimeMs === input.mtimeMs && info.size === input.size;
    });
  } catch {
    return false;
  }
}

async function build(bundle: string, manifestPath: string): Promise<void> {
  const { build: esbuild } = await import("esbuild");
  const result = await esbuild({
    entryPoints: [SOURCE],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    metafile: true,
    logLevel: "silent",
    absWorkingDir: ROOT,
    // The bundle lives in the cache, so the hasher cannot find the addon relative to itself.
    define: { IDBRIDGE_NATIVE_ADDON: JSON.stringify(ADDON) },
  });
  const sources = Object.keys(result.metafile.inputs)
    .map((path) => resolve(ROOT, path))
    .filter((path) => !path.includes("/node_modules/"));
  // Installed by another package manager there is no .package-lock.json: the sources alone decide then.
  const inputs = [...sources, ...(existsSync(INSTALLED) ? [INSTALLED] : [])].map((path) => {
    const info = statSync(path);
    return { path, mtimeMs: info.mtimeMs, size: info.size };
  });
  mkdirSync(dirname(bundle), { recursive: true });
  // Temp + rename: a concurrent prepare (or a crash) never sees half a bundle or a manifest that lies.
  const suffix = `.${process.pid}.tmp`;
  writeFileSync(bundle + suffix, result.outputFiles[0]!.contents);
  renameSync(bundle + suffix, bundle);
  writeFileSync(manifestPath + suffix, JSON.stringify({ source: SOURCE, inputs } satisfies Manifest));
  renameSync(manifestPath + suffix, manifestPath);
}
