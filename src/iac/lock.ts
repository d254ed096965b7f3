import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import lockfile from "proper-lockfile";

/** Another `up` or `destroy` holds the state of this app and stage. */
export class StateLockedError extends Error {
  override readonly name = "StateLockedError";
  constructor(
    readonly stateDir: string,
    readonly pid: number | undefined,
  ) {
    super(
      `the state at ${stateDir} is locked by ${pid === undefined ? "another process" : `process ${pid}`}: another up/destroy of this app and stage is running; wait for it to finish or stop it`,
    );
  }
}

const LOCK_NAME = ".lock";
const PID_NAME = ".lock.pid";

function holderPid(stateDir: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(join(stateDir, PID_NAME), "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Locks a state directory for one apply (proper-lockfile's mkdir lock plus a pid file). Two applies
 * must never interleave, so a live holder is an immediate error, not a wait; a lock left by a
 * process that died (kill -9 mid-apply) is taken over at once rather than after the stale timeout.
 */
export async function lockState(stateDir: string): Promise<() => Promise<void>> {
  mkdirSync(stateDir, { recursive: true });
  const options = {
    lockfilePath: join(stateDir, LOCK_NAME),
    realpath: false,
    stale: 10_000,
    update: 2_000,
    onCompromised: (error: Error) =>
      process.emitWarning(`idbridge: lost the state lock on ${stateDir}: ${error.message}`),
  };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(stateDir, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ELOCKED") throw error;
    const holder = holderPid(stateDir);
    if (holder === undefined || isAlive(holder)) throw new StateLockedError(stateDir, holder);
    rmSync(join(stateDir, LOCK_NAME), { recursive: true, force: true });
    try {
      release = await lockfile.lock(stateDir, options);
    } catch (retryError) {
      if ((retryError as NodeJS.ErrnoException).code === "ELOCKED")
        throw new StateLockedError(stateDir, holderPid(stateDir));
      throw retryError;
    }
  }
  writeFileSync(join(stateDir, PID_NAME), String(process.pid));
  return async () => {
    rmSync(join(stateDir, PID_NAME), { force: true });
    await release();
  };
}
