import { existsSync } from "node:fs";
import { resolve } from "node:path";
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
  if (runnerHooks()) throw new StackError("a stack is already running in this process");
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
