import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { LocalCloud } from "../cloud/index.ts";
import { startServer } from "../serve/index.ts";
import { localPort } from "./backends/local.ts";

// The real `alchemy` package is never a dependency (≈200 packages). To run this test, install it
// somewhere and point ALCHEMY_DIR there:
//   mkdir /tmp/idbridge-alchemy && cd /tmp/idbridge-alchemy && npm init -y && npm i alchemy@0.94.0 --ignore-scripts
//   ALCHEMY_DIR=/tmp/idbridge-alchemy node --import tsx --test src/iac/alchemy-interop.test.ts
const alchemyDir = process.env.ALCHEMY_DIR ?? "/tmp/idbridge-alchemy";
const installed = existsSync(join(alchemyDir, "node_modules", "alchemy", "package.json"));

// An Alchemy program for the route's last step, with the real shapes (the CloudFormation schemas in
// src/schemas/), unchanged but for pointing Cloud Control at `idbridge serve`.
const PROGRAM = `
import alchemy from "alchemy";
import AWS from "alchemy/aws/control";
const phase = process.env.PHASE;
const app = await alchemy("interop", { stage: "test", phase, quiet: true });
const bucket = await AWS.S3.Bucket("bucket", { BucketName: "alchemy-interop" });
const role = await AWS.IAM.Role("role", {
  RoleName: "alchemy-interop",
  // Alchemy compares its immutable properties with GetResource's answer, which has Path "/" by
  // default: leaving Path out would make every update a replacement (as it would on AWS).
  Path: "/",
  Description: process.env.DESCRIPTION,
  AssumeRolePolicyDocument: {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: ["entityresolution.amazonaws.com"] }, Action: "sts:AssumeRole" }],
  },
});
await app.finalize();
console.log(JSON.stringify({ bucket: bucket.BucketName, roleArn: role.Arn }));
`;

describe("the real alchemy package against idbridge serve", () => {
  it("creates, updates and destroys through Cloud Control", {
    skip: installed
      ? false
      : `alchemy is not installed in ${alchemyDir} (set ALCHEMY_DIR; see the comment at the top)`,
    timeout: 120_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "idbridge-alchemy-run-"));
    const cloud = await LocalCloud.open({ home: join(dir, "cloud") });
    const server = await startServer({ cloud, home: join(dir, "cloud"), port: 0 });
    const port = localPort(cloud);
    try {
      const project = join(dir, "project");
      rmSync(project, { recursive: true, force: true });
      const { mkdirSync } = await import("node:fs");
      mkdirSync(project);
      symlinkSync(join(alchemyDir, "node_modules"), join(project, "node_modules"));
      writeFileSync(join(project, "package.json"), '{"type":"module"}');
      writeFileSync(join(project, "program.mjs"), PROGRAM);
      const run = (phase: string, description: string) =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ["program.mjs"], {
            cwd: project,
            env: {
              PATH: process.env.PATH ?? "",
              HOME: project,
              PHASE: phase,
              DESCRIPTION: description,
              DO_NOT_TRACK: "1",
              ALCHEMY_CI_STATE_STORE_CHECK: "false",
              AWS_ENDPOINT_URL_CLOUDCONTROLAPI: server.url,
              AWS_REGION: server.credentials.region,
              AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
              AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
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
      const created = await run("up", "v1");
      assert.equal(created.code, 0, `first up: ${created.stderr}`);
      const ids = JSON.parse(created.stdout.trim().split("\n").at(-1)!);
      assert.equal(ids.bucket, "alchemy-interop");
      assert.match(ids.roleArn, /^arn:aws:iam::\d{12}:role\/alchemy-interop$/);
      const live = async () => {
        const answer = await port.getResource({ TypeName: "AWS::IAM::Role", Identifier: "alchemy-interop" });
        return JSON.parse(answer.ResourceDescription!.Properties!);
      };
      assert.equal((await live()).Description, "v1");

      const updated = await run("up", "v2");
      assert.equal(updated.code, 0, `second up: ${updated.stderr}`);
      assert.equal((await live()).Description, "v2", "alchemy's update patch applied");

      const destroyed = await run("destroy", "v2");
      assert.equal(destroyed.code, 0, `destroy: ${destroyed.stderr}`);
      await assert.rejects(live(), /ResourceNotFoundException/);
    } finally {
      await server.close();
      await cloud.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
