import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { alchemyProject, alchemySkip } from "../../test/support/alchemy.ts";
import { localPort } from "./backends/local.ts";

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
    skip: alchemySkip,
    timeout: 120_000,
  }, async () => {
    const project = await alchemyProject(PROGRAM);
    const port = localPort(project.cloud);
    const run = (phase: string, description: string) =>
      project.run({ PHASE: phase, DESCRIPTION: description });
    try {
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
      await project.close();
    }
  });
});
