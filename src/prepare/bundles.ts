import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { setting } from "../config.ts";

// Loading the TypeScript sources through tsx costs CPU per module: a prepare worker spent ~0.5 s resolving
// and loading some forty modules before it took its first chunk, and the main thread ~1 s on the ~290
// modules of prepare (zod's locales and libphonenumber-js's files among them); one pre-bundled ES module
// loads in a fraction of that. Each bundle is built with esbuild on first use and rebuilt whenever a
// source it was built from (or the installed packages) changed, like tsx's own transform cache. Anything
// going wrong falls back to the sources.

// Set where this module is itself bundled (the prepare bundle below): the bundle does not sit where this
// file does.
declare const BUNDLED_SOURCE_ROOT: string | undefined;

// Installed, idbridge runs compiled (dist/): plain JavaScript, no bundles needed.
const COMPILED = typeof BUNDLED_SOURCE_ROOT !== "string" && !import.meta.url.endsWith(".ts");

const ROOT =
  typeof BUNDLED_SOURCE_ROOT === "string"
    ? BUNDLED_SOURCE_ROOT
    : fileURLToPath(new URL("../..", import.meta.url));
const PREPARE = join(ROOT, "src", "prepare");
const WORKER_SOURCE = join(PREPARE, "3-workers", "csv-worker.ts");
const WORKER_FALLBACK = pathToFileURL(join(PREPARE, "3-workers", "csv-worker-entry.mjs"));
const PREPARE_SOURCE = join(PREPARE, "index.ts");
const ADDON = join(ROOT, "build", "Release", "idbridge_native.node");
// npm rewrites this file on every install: a changed dependency shows up in its mtime.
const INSTALLED = join(ROOT, "node_modules", ".package-lock.json");
const CACHE = join(ROOT, "node_modules", ".cache", "idbridge");

interface Manifest {
  /** The entry it was built from: a cache shared by two checkouts (a linked node_modules) must not mix them. */
  source: string;
  inputs: Array<{ path: string; mtimeMs: number; size: number }>;
}

const built = new Map<string, URL>();

/** The module a prepare worker runs: the up-to-date bundle, or the tsx entry when it cannot be had. */
export async function csvWorkerEntry(cacheDir = CACHE): Promise<URL> {
  if (COMPILED) return new URL("./3-workers/csv-worker.js", import.meta.url);
  if (setting("noWorkerBundle")) return WORKER_FALLBACK;
  return (await upToDateBundle("csv-worker", WORKER_SOURCE, cacheDir, "esm")) ?? WORKER_FALLBACK;
}

/**
 * prepare's public module (index.ts) for the CLI: from the up-to-date bundle when it can be had, else from
 * the sources. The bundle is CommonJS, loaded with require(): tsx, which the CLI's launcher registers,
 * hooks ES module loading only, and passing the 2 MB bundle through it cost more than the sources did.
 */
export async function loadPrepare(cacheDir = CACHE): Promise<typeof import("./index.ts")> {
  const bundle =
    COMPILED || setting("noWorkerBundle")
      ? null
      : await upToDateBundle("prepare", PREPARE_SOURCE, cacheDir, "cjs");
  if (bundle) {
    try {
      return createRequire(import.meta.url)(fileURLToPath(bundle)) as typeof import("./index.ts");
    } catch {
      // a bundle that does not load: the sources below
    }
  }
  return await import("./index.ts");
}

async function upToDateBundle(
  name: string,
  source: string,
  cacheDir: string,
  format: "esm" | "cjs",
): Promise<URL | null> {
  const key = `${cacheDir}\0${name}`;
  const known = built.get(key);
  if (known) return known;
  const bundle = join(cacheDir, `${name}.${format === "esm" ? "mjs" : "cjs"}`);
  const manifestPath = join(cacheDir, `${name}.json`);
  try {
    if (!isFresh(manifestPath, source)) await build(source, bundle, manifestPath, format);
    const url = pathToFileURL(bundle);
    built.set(key, url);
    return url;
  } catch {
    return null;
  }
}

function isFresh(manifestPath: string, source: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
    if (manifest.source !== source) return false;
    return manifest.inputs.every((input) => {
      const info = statSync(input.path);
      return info.mtimeMs === input.mtimeMs && info.size === input.size;
    });
  } catch {
    return false;
  }
}

async function build(
  source: string,
  bundle: string,
  manifestPath: string,
  format: "esm" | "cjs",
): Promise<void> {
  const { build: esbuild } = await import("esbuild");
  const result = await esbuild({
    entryPoints: [source],
    bundle: true,
    platform: "node",
    format,
    target: "node20",
    write: false,
    metafile: true,
    logLevel: "silent",
    absWorkingDir: ROOT,
    // DuckDB is a native addon and esbuild runs a binary: both load from node_modules, where they are.
    external: ["@duckdb/node-api", "esbuild"],
    // The bundle lives in the cache: what finds files relative to itself is told where they are (CommonJS
    // has no import.meta: the bundle's own URL stands in).
    define: {
      IDBRIDGE_NATIVE_ADDON: JSON.stringify(ADDON),
      BUNDLED_SOURCE_ROOT: JSON.stringify(ROOT),
      ...(format === "cjs" ? { "import.meta.url": JSON.stringify(pathToFileURL(bundle).href) } : {}),
    },
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
  writeFileSync(manifestPath + suffix, JSON.stringify({ source, inputs } satisfies Manifest));
  renameSync(manifestPath + suffix, manifestPath);
}
