/**
 * kill -9 of `idbridge serve` (a real child process) while Cloud Control creates run, through the
 * official Cloud Control client: after each restart every acknowledged request ends in the truth
 * (test/support/crash-soak.ts says what is checked). The many-kill version with mixed writes is
 * bench/crash-soak.ts.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { crashSoak } from "../../test/support/crash-soak.ts";

test("kill -9 during Cloud Control creates (Glue databases without DatabaseName among them): every acknowledged request ends SUCCESS with its resource, or FAILED with nothing created", {
  timeout: 240_000,
}, async () => {
  const home = mkdtempSync(join(tmpdir(), "idbridge-serve-crash-"));
  try {
    const report = await crashSoak({ home, kills: 5, workload: "cloudcontrol-creates" });
    const context = `seed ${report.seed}: ${JSON.stringify(report, null, 1)}`;
    assert.equal(report.kills, 5);
    assert.deepEqual(report.lost, [], context);
    assert.deepEqual(report.contradicted, [], context);
    assert.deepEqual(report.orphans, [], context);
    assert.deepEqual(report.errors, [], context);
    const succeeded = report.acknowledged["cloudcontrol CREATE SUCCESS"] ?? 0;
    assert.ok(succeeded > 0, `creates succeeded (${context})`);
    const runningAtKill = Object.values(report.createsRunningAtKill).reduce((a, b) => a + b, 0);
    assert.ok(runningAtKill > 0, `some creates were running at a kill (${context})`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
