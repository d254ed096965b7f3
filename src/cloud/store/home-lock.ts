import { lockWithPidFile } from "../../lib/process-lock.ts";

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

/**
 * Takes the exclusive lock on `home` (a proper-lockfile mkdir lock, refreshed every few seconds,
 * plus a pid file). A lock left by a process that is gone (kill -9) is taken over at once instead of
 * waiting for proper-lockfile's staleness timeout; a live holder gets StoreInUseError.
 * `onLost` runs if the lock is taken from us (e.g. the dir was removed), so writes can stop.
 */
export function lockHome(home: string, onLost: (error: Error) => void): Promise<() => Promise<void>> {
  return lockWithPidFile(home, {
    lockName: "store.lock",
    pidName: "store.pid",
    // A dead holder is detected by its pid at once; the mtime staleness is only the fallback, so it
    // is long enough that a busy (not dead) holder is never mistaken for a stale one.
    stale: 60_000,
    update: 5_000,
    onCompromised: onLost,
    lockedError: (pid) => new StoreInUseError(home, pid),
  });
}
