import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { prepare } from "../prepare/index.ts";
import { CliError } from "./cli-error.ts";
import { buildProgram } from "./index.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "bin", "idbridge.mjs");

function idbridge(args: string[], cwd: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env } });
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
}

const STACK = `
import AWS from ${JSON.stringify(pathToFileURL(join(ROOT, "src/iac/aws/control.ts")).href)};
import { idbridge } from ${JSON.stringify(pathToFileURL(join(ROOT, "src/iac/index.ts")).href)};
const app = await idbridge.app("cli");
await AWS.S3.Bucket("bucket", { BucketName: process.env.BUCKET ?? "cli-bucket-a" });
await AWS.IAM.Role("role", {
  RoleName: "cli-role",
  Description: process.env.DESCRIPTION ?? "v1",
  AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "entityresolution.amazonaws.com" }, Action: "sts:AssumeRole" }] },
});
await app.finalize();
`;

describe("idbridge up / plan / drift / destroy", () => {
  const dir = mkdtempSync(join(tmpdir(), "idbridge-cli-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "package.json"), '{"type":"module"}');
  writeFileSync(join(dir, "stack.ts"), STACK);

  it("plans, applies, detects drift and destroys a stack file", { timeout: 180_000 }, async () => {
    let run = await idbridge(["plan", "stack.ts"], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /\+ create {2}AWS::S3::Bucket "bucket"/);
    assert.match(run.stdout, /2 create\./);
    assert.ok(
      !existsSync(join(dir, ".idbridge", "state", "cli", "dev", "bucket.json")),
      "plan writes no state",
    );

    run = await idbridge(["up", "stack.ts"], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /applied cli \(stage dev\)/);
    assert.deepEqual(
      readdirSync(join(dir, ".idbridge", "state", "cli", "dev"))
        .filter((f) => f.endsWith(".json"))
        .sort(),
      ["bucket.json", "role.json"],
    );

    run = await idbridge(["plan", "stack.ts"], dir, { DESCRIPTION: "v2", BUCKET: "cli-bucket-b" });
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /± replace AWS::S3::Bucket "bucket" \[cli-bucket-a\]\n {6}\/BucketName: "cli-bucket-a" → "cli-bucket-b" \(create-only: forces replacement\)/,
    );
    assert.match(
      run.stdout,
      /~ update {2}AWS::IAM::Role "role" \[cli-role\]\n {6}\/Description: "v1" → "v2"/,
    );

    run = await idbridge(["drift", "stack.ts", "--json"], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      JSON.parse(run.stdout)[0].drift.map((d: { status: string }) => d.status),
      ["in-sync", "in-sync"],
    );

    run = await idbridge(["destroy", "stack.ts"], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /- delete {2}AWS::IAM::Role "role"/);
    assert.deepEqual(
      readdirSync(join(dir, ".idbridge", "state", "cli", "dev")).filter((f) => f.endsWith(".json")),
      [],
    );
  });

  it("says what to do with a .ts stack outside an ES module package", async () => {
    const loose = mkdtempSync(join(tmpdir(), "idbridge-cli-cjs-"));
    try {
      writeFileSync(join(loose, "stack.ts"), STACK);
      const run = await idbridge(["plan", "stack.ts"], loose);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /rename it to stack\.mts, or add "type": "module"/);
    } finally {
      rmSync(loose, { recursive: true, force: true });
    }
  });

  it("init writes a starter stack for a prepared directory, and it comes up", {
    timeout: 180_000,
  }, async () => {
    await prepare({ input: join(ROOT, "examples", "customers.csv"), outDir: join(dir, "prepared") });
    let run = await idbridge(["init", "--from", "prepared", "--out", "route.ts"], dir);
    assert.equal(run.code, 0, run.stderr);
    const text = readFileSync(join(dir, "route.ts"), "utf8");
    for (const piece of [
      "AWS.S3.Bucket",
      "AWS.Glue.Database",
      "AWS.Glue.Table",
      "AWS.IAM.Role",
      "entityresolution.amazonaws.com",
      "AWS.EntityResolution.SchemaMapping",
      'Type: "SOURCE"',
      'RuleDefinitionTypes: ["TARGET"]',
      "AWS.CleanRooms.IdNamespaceAssociation",
      "InputReferenceArn: namespace.IdNamespaceArn",
    ]) {
      assert.ok(text.includes(piece), `the stack declares ${piece}`);
    }
    run = await idbridge(["up", "route.ts"], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /\+ create {2}AWS::CleanRooms::IdNamespaceAssociation "source-association"/);
    assert.match(run.stdout, /7 create\./);
    assert.match(
      run.stderr,
      /uploading .*customers\.parquet to s3:\/\/amc-identity-000000000000-dev\/customers\//,
    );
    assert.match(
      run.stderr,
      /idbridge amc tables create --name customers --namespace-arn arn:aws:entityresolution:/,
    );

    const init = (args: string[]) => buildProgram().parseAsync(["node", "idbridge", "init", ...args]);
    await assert.rejects(
      init(["--from", join(dir, "prepared"), "--out", join(dir, "route.ts")]),
      (error: unknown) => {
        assert.ok(error instanceof CliError);
        assert.match(error.message, /route\.ts already exists/);
        assert.match(error.hint ?? "", /--force/);
        return true;
      },
    );
    await assert.rejects(
      init(["--from", join(dir, "nowhere"), "--out", join(dir, "other.ts")]),
      /prepared directory .*nowhere does not exist/,
    );
  });
});
