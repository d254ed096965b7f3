/**
 * idbridge as a user installs it: `npm pack` (which builds dist/ through the prepare script), the
 * tarball installed into a fresh project from the npm registry, then both entry points from plain Node
 * ESM, a TypeScript consumer type-checked under `moduleResolution: nodenext`, the installed CLI, a stack
 * file run with `idbridge up`, and prepare's worker threads running from dist/.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { prepare } from "./prepare/index.ts";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..");
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
const installedVersion = (name: string) =>
  (JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string })
    .version;
// The npm that runs this suite, beside the node that does (what `npm test` and .ci/run use).
const npm = (args: string[], cwd: string) =>
  run(process.platform === "win32" ? "npm.cmd" : "npm", args, {
    cwd,
    env: {
      ...process.env,
      npm_config_audit: "false",
      npm_config_fund: "false",
      npm_config_update_notifier: "false",
    },
    maxBuffer: 64 * 1024 * 1024,
  });

const CONSUMER_TS = `import { idbridge, type PrepareResult, prepare } from "idbridge";
import AWS, { type IdMappingTable } from "idbridge/aws/control";

const app = await idbridge.app("typed", { stage: "check" });
const table: IdMappingTable = await AWS.CleanRooms.IdMappingTable("table", {
  MembershipIdentifier: "6f4a6c4e-0a51-4d51-9a57-3d2f0c4f2a10",
  Name: "crm",
  InputReferenceConfig: {
    InputReferenceArn: "arn:aws:entityresolution:us-east-1:000000000000:idmappingworkflow/crm",
    ManageResourcePolicies: true,
  },
});
const id: string = table.IdMappingTableIdentifier;
// @ts-expect-error the table's ARN is a string: the types are real, not any.
const wrong: number = table.Arn;
const result: PrepareResult = await prepare({ input: "crm.csv", outDir: "prepared" });
await app.finalize();
export { id, result, wrong };
`;

const STACK_TS = `import { idbridge } from "idbridge";
import AWS from "idbridge/aws/control";

const app = await idbridge.app("installed");
const bucket: { BucketName: string } = await AWS.S3.Bucket("bucket", { BucketName: "installed-bucket" });
console.log(\`bucket \${bucket.BucketName}\`);
await app.finalize();
`;

describe("the packed tarball, installed into a fresh project", { timeout: 15 * 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "idbridge-package-"));
  const project = join(dir, "project");
  let tarball = "";
  let installLog = "";

  before(async () => {
    const packed = await npm(["pack", "--json", "--pack-destination", dir], ROOT);
    const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = join(dir, info!.filename);
    const paths = info!.files.map((file) => file.path);
    assert.ok(
      paths.includes("dist/index.js") && paths.includes("dist/index.d.ts"),
      "dist/ is in the tarball",
    );
    assert.ok(!paths.some((path) => path.startsWith("src/") || /\.test\./.test(path)), "no sources or tests");

    const dependency = `file:${tarball}`;
    mkdirSync(project);
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({
        name: "consumer",
        private: true,
        type: "module",
        // What README "Use it as a library" says to declare: idbridge may build its native addon; esbuild's
        // postinstall is not needed (its platform binary comes as an optional dependency).
        allowScripts: { [dependency]: true, esbuild: false },
        dependencies: {
          idbridge: dependency,
          typescript: installedVersion("typescript"),
          "@types/node": installedVersion("@types/node"),
        },
      }),
    );
    const installed = await npm(["install", "--prefer-offline"], project);
    installLog = installed.stdout + installed.stderr;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("installs without install-script warnings", () => {
    assert.doesNotMatch(installLog, /install-scripts|allowScripts/, installLog);
  });

  it("imports both entry points from plain Node ESM", async () => {
    const script = `
      const root = await import("idbridge");
      const control = (await import("idbridge/aws/control")).default;
      console.log(JSON.stringify({
        app: typeof root.idbridge.app,
        prepare: typeof root.prepare,
        normalized: root.normalizeValue("EMAIL_ADDRESS", " Jane@Example.COM "),
        table: typeof control.CleanRooms.IdMappingTable,
        bucket: typeof control.S3.Bucket,
      }));`;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: project });
    assert.deepEqual(JSON.parse(stdout), {
      app: "function",
      prepare: "function",
      normalized: "jane@example.com",
      table: "function",
      bucket: "function",
    });
  });

  it("type-checks a TypeScript consumer under moduleResolution nodenext", async () => {
    writeFileSync(join(project, "consumer.ts"), CONSUMER_TS);
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          strict: true,
          noEmit: true,
          types: ["node"],
        },
        files: ["consumer.ts"],
      }),
    );
    const tsc = join(project, "node_modules", "typescript", "bin", "tsc");
    const checked = await run(process.execPath, [tsc, "-p", "."], { cwd: project }).catch(
      (error: { stdout: string }) => ({ stdout: error.stdout, failed: true }),
    );
    assert.equal("failed" in checked, false, checked.stdout);
  });

  it("runs the installed idbridge: --version, and `up` of a TypeScript stack file", async () => {
    const bin = join(project, "node_modules", ".bin", "idbridge");
    const version = await run(bin, ["--version"], { cwd: project });
    assert.equal(version.stdout.trim(), manifest.version);

    writeFileSync(join(project, "stack.ts"), STACK_TS);
    const up = await run(bin, ["up", "stack.ts", "--home", join(project, "cloud")], { cwd: project });
    assert.match(up.stdout, /bucket installed-bucket/);
    assert.match(up.stdout, /\+ create {2}AWS::S3::Bucket "bucket"/);
  });

  it("prepares with worker threads from dist/, byte for byte as the sources do", async () => {
    const input = join(ROOT, "examples", "customers.csv");
    const fromSources = await prepare({ input, outDir: join(dir, "from-sources"), workers: 1 });
    const script = `
      const { prepare } = await import("idbridge");
      const result = await prepare({ input: ${JSON.stringify(input)}, outDir: "from-dist", workers: 1 });
      console.log(JSON.stringify(result.tables.map((table) => table.parquetPath)));`;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: project });
    const fromDist = JSON.parse(stdout) as string[];
    assert.equal(fromDist.length, fromSources.tables.length);
    fromSources.tables.forEach((table, index) => {
      assert.ok(
        readFileSync(fromDist[index]!).equals(readFileSync(table.parquetPath)),
        `${table.name}.parquet`,
      );
    });
    assert.deepEqual(
      readdirSync(join(project, "from-dist")).sort(),
      readdirSync(join(dir, "from-sources")).sort(),
    );
  });
});
