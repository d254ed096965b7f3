import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import lockfile from "proper-lockfile";
import { isProcessAlive } from "./process-alive.ts";

export interface PidLockOptions {
  /** Lock directory name inside `dir` (proper-lockfile's mkdir lock). */
  lockName: string;
  /** Pid file name inside `dir`, naming the holder. */
  pidName: string;
  /** proper-lockfile's mtime staleness (ms): only the fallback, since a dead holder is found by pid. */
  stale: number;
  /** How often (ms) the holder refreshes the lock's mtime. */
  update: number;
  /** Runs if the lock is taken from us (e.g. the directory was removed). */
  onCompromised: (error: Error) => void;
  /** The error for a live holder (its pid when the pid file names one). */
  lockedError: (holderPid: number | undefined) => Error;
}

function readHolderPid(dir: string, pidName: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(join(dir, pidName), "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes an exclusive lock on `dir`: proper-lockfile's mkdir lock plus a pid file. A live holder is an
 * immediate `lockedError`, not a wait; a lock left by a process that is gone (kill -9) is taken over
 * at once instead of after proper-lockfile's staleness timeout. Resolves to the release function.
 */
export async function lockWithPidFile(dir: string, options: PidLockOptions): Promise<() => Promise<void>> {
  const { lockName, pidName, lockedError } = options;
  const lockOptions = {
    lockfilePath: join(dir, lockName),
    realpath: false,
    stale: options.stale,
    update: options.update,
    onCompromised: options.onCompromised,
  };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, lockOptions);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ELOCKED") throw error;
    const holder = readHolderPid(dir, pidName);
    if (holder === undefined || isProcessAlive(holder)) throw lockedError(holder);
    rmSync(join(dir, lockName), { recursive: true, force: true });
    try {
      release = await lockfile.lock(dir, lockOptions);
    } catch (retryError) {
      if ((retryError as NodeJS.ErrnoException).code === "ELOCKED")
        throw lockedError(readHolderPid(dir, pidName));
      throw retryError;
    }
  }
  writeFileSync(join(dir, pidName), String(process.pid));
  return async () => {
    rmSync(join(dir, pidName), { force: true });
    await release();
  };
}
