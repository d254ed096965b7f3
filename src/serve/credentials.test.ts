import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { credentialsPath, loadOrCreateCredentials, readCredentials, serverInfoPath } from "./credentials.ts";
import { ServeFileError } from "./errors.ts";
import { startServer } from "./index.ts";

const run = promisify(execFile);
const cli = new URL("../../bin/idbridge.mjs", import.meta.url).pathname;

describe("serve credentials and server file", () => {
  let home: string;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "idbridge-serve-cred-"));
  });
  after(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("creates the credentials once, mode 0600, and every concurrent opener gets the same ones", async () => {
    const all = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateCredentials(home)));
    const [first] = all;
    assert.ok(first);
    for (const other of all) assert.deepEqual(other, first);
    assert.match(first.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.equal(statSync(credentialsPath(home)).mode & 0o777, 0o600);
    assert.deepEqual(await loadOrCreateCredentials(home), first, "reused on restart");
  });

  it("writes server.json (0600) while serving, removes it on close, and `idbridge env` prints the exports", async () => {
    const server = await startServer({ cloud: { services: {} }, home, amcRoutes: [] });
    try {
      assert.equal(
        statSync(serverInfoPath(home)).mode & 0o777,
        0o600,
        "private to its owner, like every file of the home",
      );
      const { stdout } = await run(process.execPath, [cli, "env", "--home", home]);
      const exports = Object.fromEntries(
        stdout
          .trim()
          .split("\n")
          .map((line) => {
            const match = /^export ([A-Z0-9_]+)='(.*)'$/.exec(line);
            assert.ok(match, `a shell export line: ${line.slice(0, 30)}`);
            return [match[1], match[2]];
          }),
      );
      assert.equal(exports.AWS_ENDPOINT_URL, server.url);
      assert.equal(exports.AWS_ENDPOINT_URL_CLOUDCONTROLAPI, server.url);
      assert.equal(exports.AWS_ACCESS_KEY_ID, server.credentials.accessKeyId);
      assert.equal(exports.AWS_SECRET_ACCESS_KEY, server.credentials.secretAccessKey);
      assert.equal(exports.AWS_REGION, "us-east-1");
      assert.equal(exports.IDBRIDGE_AMC_TOKEN, server.amcToken);
    } finally {
      await server.close();
    }
    assert.ok(!existsSync(serverInfoPath(home)), "server.json is gone after close");
    await assert.rejects(
      run(process.execPath, [cli, "env", "--home", home]),
      (error: { code: number; stderr: string }) => {
        assert.equal(error.code, 1);
        assert.match(error.stderr, /no running idbridge serve/);
        assert.match(error.stderr, /hint: start one first/);
        return true;
      },
    );
  });

  it("refuses a broken credentials file with a library error naming the file; the CLI shows its hint", async () => {
    const broken = await mkdtemp(join(tmpdir(), "idbridge-serve-cred-bad-"));
    try {
      await writeFile(credentialsPath(broken), '{"accessKeyId": "nope"}');
      await assert.rejects(readCredentials(broken), (error: unknown) => {
        assert.ok(error instanceof ServeFileError, "a serve error, not the CLI's");
        assert.equal(error.path, credentialsPath(broken));
        assert.match(error.message, /credentials file is not valid \(field accessKeyId\)/);
        return true;
      });
      await writeFile(credentialsPath(broken), "{not json");
      await assert.rejects(readCredentials(broken), /credentials file is not valid JSON/);
      await assert.rejects(
        run(process.execPath, [cli, "env", "--home", broken]),
        (error: { code: number; stderr: string }) => {
          assert.equal(error.code, 1);
          assert.match(
            error.stderr,
            /^idbridge: .*credentials\.json: the credentials file is not valid JSON$/m,
          );
          assert.match(error.stderr, /hint: delete .*credentials\.json to let idbridge create a new one/);
          return true;
        },
      );
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });
});
