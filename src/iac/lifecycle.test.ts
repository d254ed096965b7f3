import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { LocalCloud } from "../cloud/index.ts";
import { LOCAL_ACCOUNT_ID } from "../cloud/service.ts";
import { startServer } from "../serve/index.ts";
import AWS from "./aws/control.ts";
import { localPort } from "./backends/local.ts";
import { ResourceConflictError } from "./engine.ts";
import {
  type AppOptions,
  idbridge,
  OperationFailedError,
  PropsValidationError,
  StateLockedError,
  WaitTimeoutError,
} from "./index.ts";
import type { CloudControlPort } from "./port.ts";
import { waitDefaults, waitForRequest } from "./wait.ts";

const TRUST = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { Service: ["entityresolution.amazonaws.com"] }, Action: "sts:AssumeRole" },
  ],
};
const collaborationProps = (name: string) => ({
  Name: name,
  Description: "lifecycle test",
  CreatorDisplayName: "advertiser",
  CreatorMemberAbilities: ["CAN_QUERY" as const, "CAN_RECEIVE_RESULTS" as const],
  QueryLogStatus: "DISABLED" as const,
});
const mappingFields = [
  { FieldName: "customerid", Type: "UNIQUE_ID" as const },
  { FieldName: "email", Type: "EMAIL_ADDRESS" as const, MatchKey: "Email", Hashed: true },
];

async function live(port: CloudControlPort, typeName: string, identifier: string) {
  try {
    const answer = await port.getResource({ TypeName: typeName, Identifier: identifier });
    return JSON.parse(answer.ResourceDescription!.Properties!) as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: string }).code === "ResourceNotFoundException") return undefined;
    throw error;
  }
}

const stateFiles = (home: string, app: string, stage: string) => {
  try {
    return readdirSync(join(home, "state", app, stage))
      .filter((f) => f.endsWith(".json"))
      .sort();
  } catch {
    return [];
  }
};

for (const backend of ["local", "aws"] as const) {
  describe(`iac lifecycle (${backend} backend)`, () => {
    const home = mkdtempSync(join(tmpdir(), `idbridge-iac-${backend}-`));
    let cloud: Awaited<ReturnType<typeof LocalCloud.open>>;
    let server: Awaited<ReturnType<typeof startServer>> | undefined;
    let verify: CloudControlPort;
    let options: AppOptions;

    before(async () => {
      cloud = await LocalCloud.open({ home: join(home, "cloud") });
      verify = localPort(cloud);
      if (backend === "local") {
        options = { home, cloud, log: () => {} };
      } else {
        server = await startServer({ cloud, home: join(home, "cloud"), port: 0 });
        options = {
          home,
          backend: "aws",
          endpoint: server.url,
          region: server.credentials.region,
          credentials: {
            accessKeyId: server.credentials.accessKeyId,
            secretAccessKey: server.credentials.secretAccessKey,
          },
          accountId: LOCAL_ACCOUNT_ID,
          log: () => {},
          wait: { initialDelayMs: 10, maxDelayMs: 100 },
        };
      }
    });
    after(async () => {
      await server?.close();
      await cloud?.close();
      rmSync(home, { recursive: true, force: true });
    });

    const open = (stage: string, extra: Partial<AppOptions> = {}) =>
      idbridge.app("lifecycle", { ...options, stage, ...extra });

    it("creates, then does nothing when nothing changed", async () => {
      let app = await open("create");
      const bucket = await AWS.S3.Bucket("bucket", { BucketName: `idbridge-${backend}-create` });
      const role = await AWS.IAM.Role("role", {
        RoleName: `idbridge-${backend}-create`,
        AssumeRolePolicyDocument: TRUST,
      });
      let result = await app.finalize();
      assert.deepEqual(
        result.resources.map((r) => r.action),
        ["create", "create"],
      );
      assert.equal(bucket.BucketName, `idbridge-${backend}-create`);
      assert.match(role.Arn, /^arn:aws:iam::\d{12}:role\/idbridge-/, "read-only attributes come back");
      assert.ok(await live(verify, "AWS::S3::Bucket", bucket.BucketName));
      assert.deepEqual(stateFiles(home, "lifecycle", "create"), ["bucket.json", "role.json"]);
      const stateBefore = readFileSync(join(app.stateDir, "role.json"), "utf8");
      assert.ok(!stateBefore.includes('"pending"'), "no operation left pending");

      app = await open("create");
      const again = await AWS.IAM.Role("role", {
        RoleName: `idbridge-${backend}-create`,
        AssumeRolePolicyDocument: TRUST,
      });
      await AWS.S3.Bucket("bucket", { BucketName: `idbridge-${backend}-create` });
      result = await app.finalize();
      assert.deepEqual(
        result.resources.map((r) => r.action),
        ["noop", "noop"],
      );
      assert.equal(again.Arn, role.Arn);
      assert.equal(
        readFileSync(join(app.stateDir, "role.json"), "utf8"),
        stateBefore,
        "a no-op writes nothing",
      );
    });

    it("validates props before any call", async () => {
      const app = await open("invalid");
      await assert.rejects(
        AWS.CleanRooms.IdNamespaceAssociation("assoc", {
          MembershipIdentifier: "3b7f3f0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
          Name: "assoc",
          // The shape of Alchemy's IdNamespaceAssociation example (alchemy.run/providers/aws-control/clean-
          // rooms/id-namespace-association).
          InputReferenceConfig: {
            referenceArn: "arn:aws:cleanrooms:us-east-1:123456789012:input-reference/x",
          } as never,
        }),
        (error: unknown) => error instanceof PropsValidationError && /InputReferenceArn/.test(error.message),
      );
      await app.finalize();
      assert.deepEqual(stateFiles(home, "lifecycle", "invalid"), [], "nothing recorded, nothing sent");
    });

    it("updates through a patch of only what changed", async () => {
      let app = await open("update");
      const role = await AWS.IAM.Role("role", {
        RoleName: `idbridge-${backend}-update`,
        AssumeRolePolicyDocument: TRUST,
        Description: "v1",
      });
      await app.finalize();
      app = await open("update");
      const updated = await AWS.IAM.Role("role", {
        RoleName: `idbridge-${backend}-update`,
        AssumeRolePolicyDocument: TRUST,
        Description: "v2",
      });
      const result = await app.finalize();
      assert.equal(result.resources[0]!.action, "update");
      assert.deepEqual(
        result.resources[0]!.changes.map((c) => c.path),
        ["/Description"],
      );
      assert.equal(updated.Arn, role.Arn, "same resource");
      assert.equal((await live(verify, "AWS::IAM::Role", role.RoleName))!.Description, "v2");
    });

    it("replaces when a create-only property changes: new first, then the old one goes", async () => {
      const roleName = `idbridge-${backend}-replace`;
      let app = await open("replace");
      await AWS.S3.Bucket("bucket", { BucketName: `idbridge-${backend}-old` });
      const oldRole = await AWS.IAM.Role("role", {
        RoleName: roleName,
        Path: "/v1/",
        AssumeRolePolicyDocument: TRUST,
      });
      await AWS.EntityResolution.SchemaMapping("mapping", {
        SchemaName: `replace_${backend}`,
        MappedInputFields: mappingFields,
      });
      await app.finalize();

      app = await open("replace");
      await AWS.S3.Bucket("bucket", { BucketName: `idbridge-${backend}-new` });
      // Same RoleName, new Path: the new role would take the old one's name, so the old goes first.
      const newRole = await AWS.IAM.Role("role", {
        RoleName: roleName,
        Path: "/v2/",
        AssumeRolePolicyDocument: TRUST,
      });
      // A schema mapping under a new SchemaName (its only create-only property in AWS's schema;
      // MappedInputFields is updatable), with a new field too.
      const fields = [
        ...mappingFields,
        { FieldName: "phone", Type: "PHONE" as const, MatchKey: "Phone", Hashed: true },
      ];
      await AWS.EntityResolution.SchemaMapping("mapping", {
        SchemaName: `replace_${backend}_v2`,
        MappedInputFields: fields,
      });
      const result = await app.finalize();
      assert.deepEqual(
        result.resources.map((r) => r.action),
        ["replace", "replace", "replace"],
      );
      assert.ok(result.resources[0]!.changes.some((c) => c.path === "/BucketName" && c.createOnly));
      assert.equal(
        await live(verify, "AWS::S3::Bucket", `idbridge-${backend}-old`),
        undefined,
        "old bucket deleted",
      );
      assert.ok(await live(verify, "AWS::S3::Bucket", `idbridge-${backend}-new`));
      assert.notEqual(newRole.RoleId, oldRole.RoleId, "a new role");
      assert.equal((await live(verify, "AWS::IAM::Role", roleName))!.Path, "/v2/");
      const mapping = await live(verify, "AWS::EntityResolution::SchemaMapping", `replace_${backend}_v2`);
      assert.equal((mapping!.MappedInputFields as unknown[]).length, 3);
      assert.equal(
        await live(verify, "AWS::EntityResolution::SchemaMapping", `replace_${backend}`),
        undefined,
        "old mapping deleted",
      );
    });

    it("adopts an existing resource by its primary identifier, and refuses without adopt", async () => {
      const name = `idbridge-${backend}-adopt`;
      const created = await verify.createResource({
        TypeName: "AWS::S3::Bucket",
        DesiredState: JSON.stringify({ BucketName: name }),
      });
      await waitForRequest(verify, created.ProgressEvent, waitDefaults("local"));

      let app = await open("adopt-refused");
      await assert.rejects(
        AWS.S3.Bucket("bucket", { BucketName: name }),
        (error: unknown) => error instanceof ResourceConflictError && /adopt: true/.test(error.message),
      );
      await app.abort();

      app = await open("adopt");
      const bucket = await AWS.S3.Bucket("bucket", { BucketName: name, adopt: true });
      const result = await app.finalize();
      assert.equal(result.resources[0]!.action, "adopt");
      assert.equal(bucket.BucketName, name);
      assert.equal(app.state("bucket")?.identifier, name);
    });

    it("deletes orphans on finalize, and destroy deletes the rest", async () => {
      let app = await open("orphans");
      await AWS.S3.Bucket("kept", { BucketName: `idbridge-${backend}-kept` });
      await AWS.S3.Bucket("dropped", { BucketName: `idbridge-${backend}-dropped` });
      const collaboration = await AWS.CleanRooms.Collaboration(
        "collaboration",
        collaborationProps("orphans"),
      );
      await app.finalize();

      app = await open("orphans");
      await AWS.S3.Bucket("kept", { BucketName: `idbridge-${backend}-kept` });
      let result = await app.finalize();
      assert.deepEqual(
        result.resources.map((r) => `${r.id}:${r.action}`),
        ["kept:noop", "collaboration:delete", "dropped:delete"],
        "orphans go in reverse declaration order",
      );
      assert.equal(await live(verify, "AWS::S3::Bucket", `idbridge-${backend}-dropped`), undefined);
      assert.equal(
        await live(verify, "AWS::CleanRooms::Collaboration", collaboration.CollaborationIdentifier),
        undefined,
      );
      assert.deepEqual(stateFiles(home, "lifecycle", "orphans"), ["kept.json"]);

      app = await open("orphans");
      await AWS.S3.Bucket("kept", { BucketName: `idbridge-${backend}-kept` });
      result = await app.destroy();
      assert.deepEqual(
        result.resources.map((r) => `${r.id}:${r.action}`),
        ["kept:delete"],
      );
      assert.equal(await live(verify, "AWS::S3::Bucket", `idbridge-${backend}-kept`), undefined);
      assert.deepEqual(stateFiles(home, "lifecycle", "orphans"), []);
    });

    it("plans create/update/replace/delete property by property and changes nothing", async () => {
      let app = await open("plan");
      await AWS.IAM.Role("role", {
        RoleName: `idbridge-${backend}-plan`,
        AssumeRolePolicyDocument: TRUST,
        Description: "v1",
      });
      await AWS.S3.Bucket("bucket", { BucketName: `idbridge-${backend}-plan` });
      await AWS.S3.Bucket("orphan", { BucketName: `idbridge-${backend}-plan-orphan` });
      await app.finalize();
      const before = stateFiles(home, "lifecycle", "plan").map((f) =>
        readFileSync(join(app.stateDir, f), "utf8"),
      );

      app = await open("plan", { phase: "plan" });
      const role = await AWS.IAM.Role("role", {
        RoleName: `idbridge-${backend}-plan`,
        AssumeRolePolicyDocument: TRUST,
        Description: "v2",
      });
      await AWS.S3.Bucket("bucket", { BucketName: `idbridge-${backend}-plan-renamed` });
      const mapping = await AWS.EntityResolution.SchemaMapping("mapping", {
        SchemaName: `plan_${backend}`,
        MappedInputFields: mappingFields,
      });
      const result = await app.finalize();
      assert.deepEqual(
        result.resources.map((r) => `${r.id}:${r.action}`),
        ["role:update", "bucket:replace", "mapping:create", "orphan:delete"],
      );
      const roleChange = result.resources[0]!.changes[0]!;
      assert.deepEqual([roleChange.path, roleChange.before, roleChange.after], ["/Description", "v1", "v2"]);
      assert.match(role.Arn, /^arn:aws:iam::/, "known attributes of updated resources are real");
      assert.match(String(mapping.SchemaArn), /known after up/, "unknown attributes say so");
      const after = stateFiles(home, "lifecycle", "plan").map((f) =>
        readFileSync(join(app.stateDir, f), "utf8"),
      );
      assert.deepEqual(after, before, "state untouched");
      assert.equal((await live(verify, "AWS::IAM::Role", `idbridge-${backend}-plan`))!.Description, "v1");
      assert.equal(await live(verify, "AWS::S3::Bucket", `idbridge-${backend}-plan-renamed`), undefined);
      assert.equal(await live(verify, "AWS::EntityResolution::SchemaMapping", `plan_${backend}`), undefined);
    });

    it("reports drift property by property", async () => {
      let app = await open("drift");
      const role = await AWS.IAM.Role("role", {
        RoleName: `idbridge-${backend}-drift`,
        AssumeRolePolicyDocument: TRUST,
        Description: "as applied",
      });
      await AWS.S3.Bucket("bucket", { BucketName: `idbridge-${backend}-drift` });
      await app.finalize();

      app = await open("drift", { phase: "drift" });
      let result = await app.finalize();
      assert.deepEqual(
        result.drift.map((d) => d.status),
        ["in-sync", "in-sync"],
      );

      // Someone changes the role and deletes the bucket behind iac's back.
      const patched = await verify.updateResource({
        TypeName: "AWS::IAM::Role",
        Identifier: role.RoleName,
        PatchDocument: JSON.stringify([
          { op: "replace", path: "/Description", value: "changed in the console" },
        ]),
      });
      await waitForRequest(verify, patched.ProgressEvent, waitDefaults("local"));
      const deleted = await verify.deleteResource({
        TypeName: "AWS::S3::Bucket",
        Identifier: `idbridge-${backend}-drift`,
      });
      await waitForRequest(verify, deleted.ProgressEvent, waitDefaults("local"));

      app = await open("drift", { phase: "drift" });
      result = await app.finalize();
      const [roleDrift, bucketDrift] = result.drift;
      assert.equal(roleDrift!.status, "drifted");
      assert.deepEqual(roleDrift!.differences, [
        { path: "/Description", expected: "as applied", actual: "changed in the console" },
      ]);
      assert.equal(bucketDrift!.status, "deleted");
    });

    it("gives up waiting after the timeout, and the next run picks the request up by its ClientToken", async () => {
      let app = await open("timeout", { wait: { initialDelayMs: 1, maxDelayMs: 1, timeoutMs: 0 } });
      await assert.rejects(
        AWS.S3.Bucket("bucket", { BucketName: `idbridge-${backend}-timeout` }),
        (error: unknown) =>
          error instanceof WaitTimeoutError && /re-run the same command/.test(error.message),
      );
      await app.abort();
      const pending = app.state("bucket")?.pending;
      assert.equal(pending?.operation, "CREATE");

      app = await open("timeout");
      const bucket = await AWS.S3.Bucket("bucket", { BucketName: `idbridge-${backend}-timeout` });
      const result = await app.finalize();
      assert.equal(result.resources[0]!.action, "create");
      assert.equal(bucket.BucketName, `idbridge-${backend}-timeout`);
      assert.equal(app.state("bucket")?.pending, undefined);
    });

    it("a program changed after a timeout resends with a fresh ClientToken and converges", async () => {
      const name = `idbridge-${backend}-changed`;
      let app = await open("changed", { wait: { initialDelayMs: 1, maxDelayMs: 1, timeoutMs: 0 } });
      await assert.rejects(
        AWS.S3.Bucket("bucket", { BucketName: name }),
        (error: unknown) => error instanceof WaitTimeoutError,
      );
      await app.abort();
      const first = app.state("bucket")?.pending?.clientToken;
      assert.ok(first, "the timed-out create keeps its ClientToken");

      // The same token with another desired state is a ClientTokenConflictException on Cloud Control.
      app = await open("changed");
      await AWS.S3.Bucket("bucket", { BucketName: name, Tags: [{ Key: "team", Value: "data" }] });
      await app.finalize();
      assert.equal(app.state("bucket")?.pending, undefined);
      const model = await live(verify, "AWS::S3::Bucket", name);
      assert.deepEqual(model?.["Tags"], [{ Key: "team", Value: "data" }]);
    });

    it("retries a request that failed as a new request, not a replay of the failure", async () => {
      let app = await open("retry");
      const bucket = await AWS.S3.Bucket("bucket", { BucketName: `idbridge-${backend}-retry` });
      await app.finalize();
      // Someone else's object keeps the bucket from being deleted.
      const ctx = { accountId: LOCAL_ACCOUNT_ID, region: "us-east-1", requestId: "test" };
      await cloud.services.s3!.operations.PutObject!(
        { Bucket: bucket.BucketName, Key: "x/object.txt", Body: "in the way" },
        ctx,
      );

      app = await open("retry");
      await assert.rejects(app.destroy(), (error: unknown) => error instanceof OperationFailedError);
      assert.equal(app.state("bucket")?.pending, undefined, "a failed request leaves no token to replay");
      assert.ok(await live(verify, "AWS::S3::Bucket", bucket.BucketName), "the bucket is still there");

      await cloud.services.s3!.operations.DeleteObject!(
        { Bucket: bucket.BucketName, Key: "x/object.txt" },
        ctx,
      );
      app = await open("retry");
      const result = await app.destroy();
      assert.deepEqual(
        result.resources.map((r) => `${r.id}:${r.action}`),
        ["bucket:delete"],
      );
      assert.equal(await live(verify, "AWS::S3::Bucket", bucket.BucketName), undefined);
    });

    it("refuses a second apply of the same app and stage while one holds the lock", async () => {
      const first = await open("lock");
      await assert.rejects(
        open("lock"),
        (error: unknown) => error instanceof StateLockedError && /locked by process \d+/.test(error.message),
      );
      const other = await open("lock-other");
      await other.finalize();
      await first.finalize();
      const again = await open("lock");
      await again.finalize();
    });
  });
}
