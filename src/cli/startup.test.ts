import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const logLoads = fileURLToPath(new URL("../../test/support/module-load-log/register.mjs", import.meta.url));

/** The package and source-folder names of every module `idbridge <args>` loads, from the sources. */
function modulesLoadedBy(args: string[]): { packages: Set<string>; sources: string[] } {
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", "--import", logLoads, "src/cli/bin.ts", ...args],
    {
      cwd: root,
      encoding: "utf8",
    },
  );
  assert.equal(run.status, 0, run.stderr);
  const urls = [...run.stderr.matchAll(/^module-load (\S+)$/gm)].map((m) => m[1]!);
  const packages = new Set(
    urls.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []),
  );
  const sources = urls.flatMap((url) => /\/src\/(.+)$/.exec(url)?.[1] ?? []);
  return { packages, sources };
}

describe("CLI start-up", () => {
  for (const args of [["--version"], ["--help"], ["prepare", "--help"]]) {
    it(`idbridge ${args.join(" ")} loads commander and the command table only`, () => {
      const { packages, sources } = modulesLoadedBy(args);
      packages.delete("tsx"); // the loader running the sources, not the CLI
      assert.deepEqual([...packages], ["commander"]);
      const heavy = sources.filter((path) => !/^(cli\/|config\.ts|lib\/|serve\/errors\.ts)/.test(path));
      assert.deepEqual(heavy, [], "modules outside the CLI shell load only when their command runs");
      assert.ok(sources.includes("cli/commands/prepare.ts"), "the log sees the sources (sanity)");
    });
  }
});
