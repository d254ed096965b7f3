import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { sharedScript, WORK } from "./paths.ts";

/** The deterministic CRM-like CSV of `rows` rows from ../shared/bench/make-crm.mjs, generated once. */
export function crmFile(rows: number): string {
  const path = join(WORK, `crm-${rows}.csv`);
  if (existsSync(path) && statSync(path).size > 0) return path;
  const generator = sharedScript("make-crm.mjs");
  if (!generator) throw new Error("../shared/bench/make-crm.mjs not found (set IDBRIDGE_SHARED_BENCH)");
  mkdirSync(WORK, { recursive: true });
  const made = spawnSync(process.execPath, [generator, String(rows), path], { stdio: "inherit" });
  if (made.status !== 0) throw new Error(`make-crm.mjs failed with status ${made.status}`);
  return path;
}

export const BENCH_ROWS = 1_000_000;
