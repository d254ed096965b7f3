import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { isProcessAlive } from "./process-alive.ts";
import { lockWithPidFile } from "./process-lock.ts";

class Held extends Error {
  constructor(readonly pid: number | undefined) {
    super("held");
  }
}

const options = {
  lockName: "x.lock",
  pidName: "x.pid",
  stale: 10_000,
  update: 2_000,
  onCompromised: () => {},
  lockedError: (pid: number | undefined) => new Held(pid),
};

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  assert.equal(child.status, 0);
  return child.pid;
}

test("isProcessAlive: this process is alive, an exited one is not", () => {
  assert.equal(isProcessAlive(process.pid), true);
  assert.equal(isProcessAlive(deadPid()), false);
});

test("lockWithPidFile: a live holder is refused with its pid; release frees the lock", async () => {
  const dir = mkdtempSync(join(tmpdir(), "idbridge-lock-"));
  try {
    const release = await lockWithPidFile(dir, options);
    assert.equal(readFileSync(join(dir, "x.pid"), "utf8"), String(process.pid));
    await assert.rejects(
      lockWithPidFile(dir, options),
      (error) => error instanceof Held && error.pid === process.pid,
    );
    await release();
    const again = await lockWithPidFile(dir, options);
    await again();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("lockWithPidFile: the lock of a dead process is taken over at once", async () => {
  const dir = mkdtempSync(join(tmpdir(), "idbridge-lock-"));
  try {
    mkdirSync(join(dir, "x.lock"));
    writeFileSync(join(dir, "x.pid"), String(deadPid()));
    const release = await lockWithPidFile(dir, options);
    assert.equal(readFileSync(join(dir, "x.pid"), "utf8"), String(process.pid));
    await release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
