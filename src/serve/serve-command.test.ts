/** `idbridge serve` as a user runs it: a real process, the endpoint it prints, a signed call, SIGTERM. */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { GetDatabasesCommand, GlueClient } from "@aws-sdk/client-glue";
import { conforming } from "./conformance.ts";
import { readCredentials, serverInfoPath } from "./index.ts";

const cli = new URL("../../bin/idbridge.mjs", import.meta.url).pathname;

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once("line", (line) => {
      lines.close();
      resolve(line);
    });
    child.once("exit", (code) => reject(new Error(`serve exited early with ${code}`)));
  });
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });

describe("idbridge serve (process)", () => {
  let home: string;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "idbridge-serve-cli-"));
  });
  after(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("prints its endpoint, answers signed calls, logs them as JSON lines and stops cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, [cli, "serve", "--port", "0", "--home", home, "--json"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    try {
      const started = JSON.parse(await firstLine(child)) as { url: string; credentialsFile: string };
      assert.match(started.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(started.credentialsFile, join(home, "credentials.json"));
      assert.ok(existsSync(serverInfoPath(home)));
      const credentials = await readCredentials(home);
      assert.ok(credentials);
      const glue = conforming(
        new GlueClient({ endpoint: started.url, region: credentials.region, credentials }),
      );
      const out = await glue.send(new GetDatabasesCommand({}));
      assert.deepEqual(out.DatabaseList, []);
      const logLine = await firstLine(child);
      const entry = JSON.parse(logLine) as Record<string, unknown>;
      assert.equal(entry.service, "glue");
      assert.equal(entry.operation, "GetDatabases");
      assert.equal(entry.status, 200);
      child.kill("SIGTERM");
      assert.equal(await exited(child), 0, stderr);
      assert.ok(!existsSync(serverInfoPath(home)), "server.json is removed on SIGTERM");
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("refuses a second serve on the same home with a clear error", async () => {
    const first = spawn(process.execPath, [cli, "serve", "--port", "0", "--home", home, "--json"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      await firstLine(first);
      const second = spawn(process.execPath, [cli, "serve", "--port", "0", "--home", home], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      second.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      assert.equal(await exited(second), 1);
      assert.match(stderr, /is already open in process \d+/);
      assert.match(stderr, /hint: /);
    } finally {
      first.kill("SIGTERM");
      await exited(first);
    }
  });

  it("warns when bound beyond loopback", async () => {
    const child = spawn(
      process.execPath,
      [cli, "serve", "--port", "0", "--host", "0.0.0.0", "--home", home, "--json"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    try {
      await firstLine(child);
      child.kill("SIGINT");
      assert.equal(await exited(child), 0);
      assert.match(stderr, /warning: listening on 0\.0\.0\.0, not loopback/);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
