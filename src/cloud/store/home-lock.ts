import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import lockfile from "proper-lockfile";

/** Thrown when another live process holds the local cloud's home directory. */
export class StoreInUseError extends Error {
  override readonly name = "StoreInUseError";
  readonly code = "STORE_IN_USE";
  constructor(
    readonly home: string,
    readonly pid: number | undefined,
  ) {
    super(
      `the local cloud at ${home} is in use by ${pid === undefined ? "another process" : `process ${pid}`}; stop it or use --home`,
    );
  }
}

const LOCK_NAME = "store.lock";
const PID_NAME = "store.pid";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readPid(home: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(join(home, PID_NAME), "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the exclusive lock on `home` (a proper-lockfile mkdir lock, refreshed every few seconds,
 * plus a pid file). A lock left by a process that is gone (kill -9) is taken over at once instead of
 * waiting for proper-lockfile's staleness timeout; a live holder gets StoreInUseError.
 * `onLost` runs if the lock is taken from us (e.g. the dir was removed), so writes can stop.
 */
export async function lockHome(home: string, onLost: (error: Error) => void): Promise<() => Promise<void>> {
  const options = {
    lockfilePath: join(home, LOCK_NAME),
    realpath: false,
    // A dead holder is detected by its pid at once; the mtime staleness is only the fallback, so it
    // is long enough that a busy (not dead) holder is never mistaken for a stale one.
    stale: 60_000,
    update: 5_000,
    onCompromised: onLost,
  };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(home, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ELOCKED") throw error;
    const holder = readPid(home);
    if (holder === undefined || isAlive(holder)) throw new StoreInUseError(home, holder);
    rmSync(join(home, LOCK_NAME), { recursive: true, force: true });
    try {
      release = await lockfile.lock(home, options);
    } catch (retryError) {
      if ((retryError as NodeJS.ErrnoException).code === "ELOCKED")
        throw new StoreInUseError(home, readPid(home));
      throw retryError;
    }
  }
  writeFileSync(join(home, PID_NAME), String(process.pid));
  return async () => {
    rmSync(join(home, PID_NAME), { force: true });
    await release();
  };
}
