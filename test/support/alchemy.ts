/**
 * For tests: runs an Alchemy program (the real `alchemy` package) against `idbridge serve` over a
 * fresh local cloud. `alchemy` is never a dependency (≈200 packages): install it somewhere and point
 * ALCHEMY_DIR there, otherwise the tests skip with `alchemySkip`'s message:
 *   mkdir /tmp/idbridge-alchemy && cd /tmp/idbridge-alchemy && npm init -y && npm i alchemy@0.94.0 --ignore-scripts
 *   ALCHEMY_DIR=/tmp/idbridge-alchemy node --import tsx --test src/iac/alchemy-*.test.ts
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalCloud } from "../../src/cloud/index.ts";
import { type RunningServer, startServer } from "../../src/serve/index.ts";

const alchemyDir = process.env.ALCHEMY_DIR ?? "/tmp/idbridge-alchemy";

/** false when alchemy is installed in ALCHEMY_DIR, else why the test is skipped. */
export const alchemySkip: string | false = existsSync(
  join(alchemyDir, "node_modules", "alchemy", "package.json"),
)
  ? false
  : `alchemy is not installed in ${alchemyDir} (set ALCHEMY_DIR; see test/support/alchemy.ts)`;

export interface AlchemyRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface AlchemyProject {
  cloud: LocalCloud;
  server: RunningServer;
  /** Runs the program once (its own state in the project) with these extra variables, e.g. PHASE. */
  run(env: Record<string, string>): Promise<AlchemyRun>;
  close(): Promise<void>;
}

/**
 * A project holding `program` (an ES module) next to alchemy's node_modules, and a local cloud
 * served on loopback; Alchemy reaches it only through the variables a user would set.
 */
export async function alchemyProject(program: string): Promise<AlchemyProject> {
  const dir = mkdtempSync(join(tmpdir(), "idbridge-alchemy-run-"));
  const home = join(dir, "cloud");
  const cloud = await LocalCloud.open({ home });
  let server: RunningServer;
  try {
    server = await startServer({ cloud, home, port: 0 });
  } catch (error) {
    await cloud.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const project = join(dir, "project");
  mkdirSync(project);
  symlinkSync(join(alchemyDir, "node_modules"), join(project, "node_modules"));
  writeFileSync(join(project, "package.json"), '{"type":"module"}');
  writeFileSync(join(project, "program.mjs"), program);
  const run = (env: Record<string, string>) =>
    new Promise<AlchemyRun>((resolve) => {
      const child = spawn(process.execPath, ["program.mjs"], {
        cwd: project,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: project,
          DO_NOT_TRACK: "1",
          ALCHEMY_CI_STATE_STORE_CHECK: "false",
          AWS_ENDPOINT_URL_CLOUDCONTROLAPI: server.url,
          AWS_REGION: server.credentials.region,
          AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
          ...env,
        },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
      });
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
      });
      child.on("exit", (code) => resolve({ code, stdout, stderr }));
    });
  return {
    cloud,
    server,
    run,
    async close() {
      await server.close();
      await cloud.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
