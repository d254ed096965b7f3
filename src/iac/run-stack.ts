import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type FinalizeResult, type Phase, type RunnerHooks, runnerHooks, setRunnerHooks } from "./app.ts";

/** A stack file that could not be run as asked. */
export class StackError extends Error {
  override readonly name = "StackError";
}

/**
 * Runs a stack file (a module that calls `idbridge.app(...)`, declares resources and calls
 * `app.finalize()`) in the given phase and returns each app's result.
 */
export async function runStack(
  file: string,
  phase: Phase,
  overrides: RunnerHooks["overrides"] = {},
): Promise<FinalizeResult[]> {
  const path = resolve(file);
  if (!existsSync(path)) throw new StackError(`stack file ${file} does not exist`);
  if (path.endsWith(".ts") && !inModulePackage(path)) {
    // A .ts file outside a "type": "module" package loads as CommonJS, where top-level await fails.
    throw new StackError(
      `${file} is not inside an ES module package: rename it to ${basename(path, ".ts")}.mts, or add "type": "module" to the package.json next to it`,
    );
  }
  if (runnerHooks()) throw new StackError("a stack is already running in this process");
  await typeScriptLoaderFor(path);
  const hooks: RunnerHooks = { phase, apps: [], overrides };
  setRunnerHooks(hooks);
  try {
    // A query string makes each run import the file afresh (ESM caches modules by URL).
    await import(`${pathToFileURL(path).href}?run=${Date.now()}`);
  } catch (error) {
    for (const app of hooks.apps) await app.abort();
    throw error;
  } finally {
    setRunnerHooks(undefined);
  }
  if (hooks.apps.length === 0) {
    throw new StackError(
      `${file} opened no app; a stack file calls \`await idbridge.app("name")\` and declares resources`,
    );
  }
  const results: FinalizeResult[] = [];
  for (const app of hooks.apps) {
    if (!app.lastResult) {
      await app.abort();
      throw new StackError(
        `${file} did not call \`await app.finalize()\` for app "${app.name}"; add it at the end (it deletes resources removed from the program)`,
      );
    }
    results.push(app.lastResult!);
  }
  return results;
}

let typeScriptLoader: Promise<void> | undefined;

/**
 * Compiled idbridge (dist/) is plain JavaScript; only a stack written in TypeScript needs a loader, so
 * tsx is registered on the first such stack and not before (`idbridge --help` never loads it). From
 * the sources idbridge already runs under a TypeScript loader.
 */
async function typeScriptLoaderFor(path: string): Promise<void> {
  if (!/\.[cm]?tsx?$/.test(path) || import.meta.url.endsWith(".ts")) return;
  typeScriptLoader ??= import("tsx/esm/api").then(({ register }) => {
    register();
  });
  await typeScriptLoader;
}

/** True when the nearest package.json above `file` says "type": "module". */
export function inModulePackage(file: string): boolean {
  let dir = dirname(file);
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, "utf8")) as { type?: string }).type === "module";
      } catch {
        return false;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}
