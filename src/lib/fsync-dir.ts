import { closeSync, fsyncSync, openSync } from "node:fs";

/** Makes a directory's entries (a rename, a new file or subdirectory) survive a crash. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
