import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";

// The CLI end to end: synth → rules default → match → evaluate, as a user would run it.
const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, "../../bin/idbridge.mjs");
let dir: string;

async function idbridge(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [bin, ...args], { maxBuffer: 1 << 24 });
  return stdout;
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "idbridge-pipeline-test-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("idbridge synth | match | evaluate", () => {
  it("maps a synthetic CRM with the default rules at ≥ 99% precision and recall near its bound", async () => {
    const synth = JSON.parse(
      await idbridge("synth", "--out", dir, "--people", "10000", "--crm", "2000", "--seed", "5", "--json"),
    );
    const rulesFile = path.join(dir, "rules.json");
    const { writeFile } = await import("node:fs/promises");
    await writeFile(rulesFile, await idbridge("rules", "default"));
    const match = JSON.parse(
      await idbridge(
        "match",
        "--source",
        synth.crmPath,
        "--target",
        synth.targetFile,
        "--rules",
        rulesFile,
        "--out",
        path.join(dir, "out"),
        "--json",
      ),
    );
    assert.equal(match.metrics.inputRecords, synth.stats.crmRecords + synth.stats.targetRows);
    const quality = JSON.parse(
      await idbridge(
        "evaluate",
        "--mapping",
        match.outFile,
        "--truth",
        synth.truthPath,
        "--rules",
        rulesFile,
        "--json",
      ),
    );
    assert.ok(quality.precision >= 0.99, `precision ${quality.precision}`);
    assert.ok(quality.recall <= quality.recallBound + 1e-9, "no exact engine beats the bound");
    assert.ok(
      quality.recall >= quality.recallBound - 0.02,
      `recall ${quality.recall} vs bound ${quality.recallBound}`,
    );
  });

  it("fails with a clear message and no output on a rule naming an unknown key", async () => {
    const synth = JSON.parse(
      await idbridge(
        "synth",
        "--out",
        path.join(dir, "s2"),
        "--people",
        "100",
        "--crm",
        "10",
        "--seed",
        "1",
        "--json",
      ),
    );
    const { writeFile, readdir } = await import("node:fs/promises");
    const bad = path.join(dir, "bad-rules.json");
    await writeFile(
      bad,
      JSON.stringify({
        ruleDefinitionType: "SOURCE",
        attributeMatchingModel: "ONE_TO_ONE",
        recordMatchingModel: "ONE_SOURCE_TO_ONE_TARGET",
        rules: [{ ruleName: "typo", matchingKeys: ["Emial"] }],
      }),
    );
    const out = path.join(dir, "bad-out");
    await assert.rejects(
      idbridge(
        "match",
        "--source",
        synth.crmPath,
        "--target",
        synth.targetFile,
        "--rules",
        bad,
        "--out",
        out,
      ),
      (error: { code?: number; stderr?: string }) =>
        error.code === 1 && /rule 'typo': matching key 'Emial' is not a matchKey/.test(error.stderr ?? ""),
    );
    assert.deepEqual(await readdir(out).catch(() => []), [], "no mapping written");
  });
});
