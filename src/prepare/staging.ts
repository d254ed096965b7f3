import { mkdtemp, readdir, rm } from "node:fs/promises";
import { join } from "node:path";

// A staging folder is named after the process that owns it, so that a later run can tell a folder left by
// a killed run (its process is gone) from one a running prepare is still filling.
const PREFIX = ".idbridge-prepare-";
const OWNED = /^\.idbridge-prepare-(\d+)-[A-Za-z0-9]{6}$/;

/** Sweeps staging folders of dead prepare runs from `outDir`, then makes this run's own. */
export async function makeStaging(outDir: string): Promise<string> {
  await sweepStaleStaging(outDir);
  return mkdtemp(join(outDir, `${PREFIX}${process.pid}-`));
}

/**
 * Removes `outDir`'s staging folders whose owning process no longer runs; returns their names. Only
 * folders named by this module are touched; folders of live processes (or of a pid that has been reused)
 * stay. A process on another machine sharing the folder cannot be seen: such a folder is left too only
 * when its pid happens to be alive here, so keep one --out per machine.
 */
export async function sweepStaleStaging(outDir: string): Promise<string[]> {
  const names = await readdir(outDir).catch(() => [] as string[]);
  const swept: string[] = [];
  for (const name of names) {
    const owner = OWNED.exec(name)?.[1];
    if (owner === undefined || Number(owner) === process.pid || isAlive(Number(owner))) continue;
    await rm(join(outDir, name), { recursive: true, force: true });
    swept.push(name);
  }
  return swept;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user — alive.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
