import { mkdirSync } from "node:fs";
import { lockWithPidFile } from "../lib/process-lock.ts";

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

/**
 * Locks a state directory for one apply (proper-lockfile's mkdir lock plus a pid file). Two applies
 * must never interleave, so a live holder is an immediate error, not a wait; a lock left by a
 * process that died (kill -9 mid-apply) is taken over at once rather than after the stale timeout.
 */
export async function lockState(stateDir: string): Promise<() => Promise<void>> {
  mkdirSync(stateDir, { recursive: true });
  return lockWithPidFile(stateDir, {
    lockName: ".lock",
    pidName: ".lock.pid",
    stale: 10_000,
    update: 2_000,
    onCompromised: (error: Error) =>
      process.emitWarning(`idbridge: lost the state lock on ${stateDir}: ${error.message}`),
    lockedError: (pid) => new StateLockedError(stateDir, pid),
  });
}
