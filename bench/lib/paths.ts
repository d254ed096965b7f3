import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { setting } from "../../src/config.ts";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Scratch space for generated inputs and outputs (gitignored). */
export const WORK = join(ROOT, "bench", ".work");
/** The shared benchmark scripts (generator and baselines): ../shared/bench, or $IDBRIDGE_SHARED_BENCH. */
export const SHARED_BENCH = setting("sharedBench") ?? resolve(ROOT, "..", "shared", "bench");

export function sharedScript(name: string): string | null {
  const path = join(SHARED_BENCH, name);
  return existsSync(path) ? path : null;
}
