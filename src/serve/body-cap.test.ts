import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { signedRequest } from "../../test/support/signed-requests.ts";
import { ConfigError, DEFAULT_MAX_BODY_BYTES, ENVIRONMENT, setting } from "../config.ts";
import { startServer } from "./index.ts";

const run = promisify(execFile);
const MAX_BODY_BYTES_VARIABLE = ENVIRONMENT.maxBodyBytes.name;
const maxBodyBytesFromEnv = (env: Record<string, string>) => setting("maxBodyBytes", env);
const cli = new URL("../../bin/idbridge.mjs", import.meta.url).pathname;

describe("serve's body cap setting", () => {
  it("comes from IDBRIDGE_MAX_BODY_BYTES, defaults to S3's 5 GiB single PUT, and refuses nonsense by name", () => {
    assert.equal(maxBodyBytesFromEnv({}), DEFAULT_MAX_BODY_BYTES);
    assert.equal(DEFAULT_MAX_BODY_BYTES, 5 * 1024 * 1024 * 1024);
    assert.equal(maxBodyBytesFromEnv({ [MAX_BODY_BYTES_VARIABLE]: "1048576" }), 1048576);
    for (const bad of ["0", "-1", "1.5", "16MiB", "lots"]) {
      assert.throws(
        () => maxBodyBytesFromEnv({ [MAX_BODY_BYTES_VARIABLE]: bad }),
        (error: unknown) =>
          error instanceof ConfigError &&
          /IDBRIDGE_MAX_BODY_BYTES must be a whole number of bytes/.test(error.message) &&
          /IDBRIDGE_MAX_BODY_BYTES=16777216/.test(error.hint),
      );
    }
  });

  it("a server started without the option honours the variable", async () => {
    const home = await mkdtemp(join(tmpdir(), "idbridge-serve-cap-"));
    const before = process.env[MAX_BODY_BYTES_VARIABLE];
    process.env[MAX_BODY_BYTES_VARIABLE] = "64";
    let received = false;
    const service = {
      signingName: "glue",
      operations: {
        CreateDatabase: async () => {
          received = true;
          return {};
        },
      },
    };
    try {
      const server = await startServer({ cloud: { services: { glue: service } }, home, amcRoutes: [] });
      try {
        const response = await fetch(
          await signedRequest(server, "glue", {
            headers: {
              "x-amz-target": "AWSGlue.CreateDatabase",
              "content-type": "application/x-amz-json-1.1",
            },
            body: JSON.stringify({ DatabaseInput: { Name: "x".repeat(64) } }),
          }),
        );
        assert.equal(response.status, 413);
        assert.equal(received, false);
      } finally {
        await server.close();
      }
    } finally {
      if (before === undefined) delete process.env[MAX_BODY_BYTES_VARIABLE];
      else process.env[MAX_BODY_BYTES_VARIABLE] = before;
      await rm(home, { recursive: true, force: true });
    }
  });

  it("idbridge serve --max-body-bytes refuses a value that is not a byte count, with a hint", async () => {
    const home = await mkdtemp(join(tmpdir(), "idbridge-serve-cap-cli-"));
    try {
      await assert.rejects(
        run(process.execPath, [cli, "serve", "--home", home, "--port", "0", "--max-body-bytes", "lots"]),
        (error: { code: number; stderr: string }) => {
          assert.equal(error.code, 1);
          assert.match(error.stderr, /--max-body-bytes must be a whole number of bytes greater than 0/);
          assert.match(error.stderr, /hint: e\.g\. --max-body-bytes 16777216/);
          return true;
        },
      );
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
