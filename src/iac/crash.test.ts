import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { LocalCloud } from "../cloud/index.ts";
import { startServer } from "../serve/index.ts";
import { localPort, openLocalPort } from "./backends/local.ts";
import type { CloudControlPort } from "./port.ts";

async function live(port: CloudControlPort, typeName: string, identifier: string) {
  try {
    const answer = await port.getResource({ TypeName: typeName, Identifier: identifier });
    return JSON.parse(answer.ResourceDescription!.Properties!) as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: string }).code === "ResourceNotFoundException") return undefined;
    throw error;
  }
}

// A child process applies test/fixtures/iac-crash-stack.ts and SIGKILLs itself right after Cloud
// Control accepted a CreateResource; the same stack applied again must converge, without a duplicate.
for (const backend of ["local", "aws"] as const) {
  describe(`iac crash mid-apply (${backend} backend)`, () => {
    const home = mkdtempSync(join(tmpdir(), `idbridge-crash-${backend}-`));
    let cloud: LocalCloud | undefined;
    let server: Awaited<ReturnType<typeof startServer>> | undefined;
    let verify: CloudControlPort;

    before(async () => {
      // The local backend's child opens the cloud itself (in-process, dying with it); the aws
      // backend's child talks to a server that lives on.
      if (backend === "aws") {
        cloud = await LocalCloud.open({ home: join(home, "cloud") });
        verify = localPort(cloud);
        server = await startServer({ cloud, home: join(home, "cloud"), port: 0 });
      }
    });
    after(async () => {
      await server?.close();
      await cloud?.close();
      rmSync(home, { recursive: true, force: true });
    });

    it("converges after a crash mid-apply (SIGKILL after Cloud Control accepted the request)", {
      timeout: 60_000,
    }, async () => {
      const crashHome = join(home, "crash");
      const childEnv: Record<string, string> = {
        ...(process.env as Record<string, string>),
        IDBRIDGE_TEST_HOME: backend === "local" ? join(home, "crash-cloud") : crashHome,
        IDBRIDGE_TEST_BACKEND: backend,
        IDBRIDGE_KILL_AT: "CREATE request",
      };
      if (server) {
        childEnv.IDBRIDGE_TEST_ENDPOINT = server.url;
        childEnv.IDBRIDGE_TEST_KEY = server.credentials.accessKeyId;
        childEnv.IDBRIDGE_TEST_SECRET = server.credentials.secretAccessKey;
      }
      const fixture = fileURLToPath(new URL("../../test/fixtures/iac-crash-stack.ts", import.meta.url));
      const run = (env: Record<string, string>) =>
        new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ["--import", "tsx", fixture], {
            env,
            stdio: ["ignore", "ignore", "pipe"],
          });
          let stderr = "";
          child.stderr.on("data", (chunk) => {
            stderr += chunk;
          });
          child.on("exit", (code, signal) => resolve({ code, signal, stderr }));
        });
      const crashed = await run(childEnv);
      assert.equal(crashed.signal, "SIGKILL", `the child died mid-apply\n${crashed.stderr}`);
      const statePath = join(childEnv.IDBRIDGE_TEST_HOME!, "state", "crash", "crash", "collaboration.json");
      const pending = JSON.parse(readFileSync(statePath, "utf8"));
      assert.equal(pending.pending.operation, "CREATE", "the crash left the create pending, token recorded");

      const rerun = await run({ ...childEnv, IDBRIDGE_KILL_AT: "" });
      assert.equal(rerun.code, 0, rerun.stderr);
      const state = JSON.parse(readFileSync(statePath, "utf8"));
      assert.equal(state.pending, undefined);
      // The retry reused the ClientToken: one collaboration, not two.
      const port: CloudControlPort =
        backend === "local" ? await openLocalPort(childEnv.IDBRIDGE_TEST_HOME!) : verify;
      try {
        const listed = await port.listResources({ TypeName: "AWS::CleanRooms::Collaboration" });
        const named = (listed.ResourceDescriptions ?? []).filter(
          (d) => JSON.parse(d.Properties!).Name === "crash test",
        );
        assert.equal(named.length, 1);
        assert.equal(named[0]!.Identifier, state.identifier);
        assert.ok(
          await live(port, "AWS::S3::Bucket", "idbridge-crash-test"),
          "the rest of the stack was applied",
        );
      } finally {
        if (backend === "local") await port.close();
      }
    });
  });
}
