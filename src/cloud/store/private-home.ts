import { chmodSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Only the owner may enter the home or read what is in it: it holds credentials, state and S3 objects. */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

function tighten(path: string): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return;
  if ((stat.mode & 0o077) !== 0) chmodSync(path, stat.mode & 0o700);
  if (stat.isDirectory()) for (const name of readdirSync(path)) tighten(join(path, name));
}

/**
 * Creates `dir` (and missing parents) for the owner only; an existing one that others can read is
 * made private with everything in it — homes made before this rule (journal, snapshot and S3
 * objects were 0644) are fixed on their next open. A home that is already private is not walked.
 */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if ((lstatSync(dir).mode & 0o077) !== 0) tighten(dir);
}
