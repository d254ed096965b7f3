import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { BucketResource } from "../../schemas/s3/bucket.ts";
import { AwsError } from "../aws-error.ts";
import { LocalCloud } from "../index.ts";
import type { ResourceProvider } from "../provider.ts";
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type Operation, type RequestContext } from "../service.ts";
import { openStore } from "../store/index.ts";
import { createCloudControl } from "./index.ts";

const ctx: RequestContext = { accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION, requestId: "test" };
type Ops = Readonly<Record<string, Operation>>;

async function withCloud(fn: (cc: Ops, cloud: LocalCloud, home: string) => Promise<void>): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), "idbridge-cc-"));
  const cloud = await LocalCloud.open({ home });
  try {
    await fn(cloud.services.cloudcontrolapi!.operations, cloud, home);
  } finally {
    await cloud.close();
    rmSync(home, { recursive: true, force: true });
  }
}

/** Polls GetResourceRequestStatus the way Alchemy does until the request ends. */
async function waitFor(cc: Ops, requestToken: string) {
  for (;;) {
    const { ProgressEvent } = await cc.GetResourceRequestStatus!({ RequestToken: requestToken }, ctx);
    if (!["PENDING", "IN_PROGRESS", "CANCEL_IN_PROGRESS"].includes(ProgressEvent.OperationStatus))
      return ProgressEvent;
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function create(cc: Ops, TypeName: string, desired: object, ClientToken?: string) {
  const { ProgressEvent } = await cc.CreateResource!(
    { TypeName, DesiredState: JSON.stringify(desired), ...(ClientToken ? { ClientToken } : {}) },
    ctx,
  );
  assert.equal(ProgressEvent.OperationStatus, "IN_PROGRESS");
  assert.equal(ProgressEvent.Operation, "CREATE");
  assert.ok(ProgressEvent.RequestToken);
  return waitFor(cc, ProgressEvent.RequestToken);
}

async function update(cc: Ops, TypeName: string, Identifier: string, patch: object[]) {
  const { ProgressEvent } = await cc.UpdateResource!(
    { TypeName, Identifier, PatchDocument: JSON.stringify(patch) },
    ctx,
  );
  return waitFor(cc, ProgressEvent.RequestToken);
}

async function remove(cc: Ops, TypeName: string, Identifier: string) {
  const { ProgressEvent } = await cc.DeleteResource!({ TypeName, Identifier }, ctx);
  return waitFor(cc, ProgressEvent.RequestToken);
}

async function properties(cc: Ops, TypeName: string, Identifier: string) {
  const { ResourceDescription } = await cc.GetResource!({ TypeName, Identifier }, ctx);
  assert.equal(ResourceDescription.Identifier, Identifier);
  return JSON.parse(ResourceDescription.Properties);
}

function notFound(promise: Promise<unknown>) {
  return assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AwsError);
    assert.equal(error.code, "ResourceNotFoundException");
    // Cloud Control's model gives its errors no httpStatusCode: the JSON protocol's 400.
    assert.equal(error.status, 400);
    return true;
  });
}

interface Case {
  type: string;
  desired: Record<string, unknown>;
  identifier: string;
  /** A patch of an updatable property, and what GetResource then shows. */
  change: { patch: object[]; check: (props: Awaited<ReturnType<Operation>>) => void };
  /** A real change of a create-only property. */
  createOnlyChange: object[];
  /** An "add" that writes a create-only property back unchanged (what Alchemy sends). */
  createOnlyNoop: object[];
}

const trust = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { Service: "entityresolution.amazonaws.com" }, Action: "sts:AssumeRole" },
  ],
};

const cases: Case[] = [
  {
    type: "AWS::S3::Bucket",
    desired: { BucketName: "cc-bucket", Tags: [{ Key: "app", Value: "idbridge" }] },
    identifier: "cc-bucket",
    change: {
      patch: [{ op: "add", path: "/VersioningConfiguration", value: { Status: "Enabled" } }],
      check: (p) => assert.deepEqual(p.VersioningConfiguration, { Status: "Enabled" }),
    },
    createOnlyChange: [{ op: "replace", path: "/BucketName", value: "cc-bucket-2" }],
    createOnlyNoop: [{ op: "add", path: "/BucketName", value: "cc-bucket" }],
  },
  {
    type: "AWS::Glue::Database",
    desired: { CatalogId: LOCAL_ACCOUNT_ID, DatabaseInput: { Name: "cc_db", Description: "v1" } },
    identifier: "cc_db",
    change: {
      patch: [{ op: "replace", path: "/DatabaseInput/Description", value: "v2" }],
      check: (p) => assert.equal(p.DatabaseInput.Description, "v2"),
    },
    // AWS's schema: only DatabaseName is create-only (CatalogId is updatable).
    createOnlyChange: [{ op: "replace", path: "/DatabaseName", value: "other_db" }],
    createOnlyNoop: [{ op: "add", path: "/DatabaseName", value: "cc_db" }],
  },
  {
    type: "AWS::IAM::Role",
    desired: {
      RoleName: "cc-role",
      AssumeRolePolicyDocument: trust,
      Policies: [
        {
          PolicyName: "read",
          PolicyDocument: {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::cc/*" }],
          },
        },
      ],
    },
    identifier: "cc-role",
    change: {
      patch: [
        { op: "add", path: "/Description", value: "ER reads CRM" },
        {
          op: "add",
          path: "/Policies/-",
          value: {
            PolicyName: "glue",
            PolicyDocument: { Statement: [{ Effect: "Allow", Action: "glue:Get*", Resource: "*" }] },
          },
        },
      ],
      check: (p) => {
        assert.equal(p.Description, "ER reads CRM");
        assert.deepEqual(
          p.Policies.map((x: { PolicyName: string }) => x.PolicyName),
          ["glue", "read"],
        );
        assert.match(p.Arn, /^arn:aws:iam::000000000000:role\/cc-role$/);
      },
    },
    createOnlyChange: [{ op: "replace", path: "/RoleName", value: "other" }],
    createOnlyNoop: [{ op: "add", path: "/RoleName", value: "cc-role" }],
  },
];

test("Cloud Control lifecycle for S3, Glue and IAM types: create, poll, get, update, create-only rules, delete, not found", async () => {
  await withCloud(async (cc) => {
    for (const c of cases) {
      const created = await create(cc, c.type, c.desired);
      assert.equal(created.OperationStatus, "SUCCESS", `${c.type}: ${created.StatusMessage}`);
      assert.equal(created.Identifier, c.identifier);
      assert.ok(JSON.parse(created.ResourceModel));
      await properties(cc, c.type, c.identifier);

      const updated = await update(cc, c.type, c.identifier, c.change.patch);
      assert.equal(updated.OperationStatus, "SUCCESS", `${c.type}: ${updated.StatusMessage}`);
      c.change.check(await properties(cc, c.type, c.identifier));

      const refused = await update(cc, c.type, c.identifier, c.createOnlyChange);
      assert.equal(refused.OperationStatus, "FAILED", c.type);
      assert.equal(refused.ErrorCode, "NotUpdatable", c.type);
      assert.match(refused.StatusMessage, /createOnlyProperties \[\/properties\//);

      const noop = await update(cc, c.type, c.identifier, c.createOnlyNoop);
      assert.equal(noop.OperationStatus, "SUCCESS", `${c.type}: ${noop.StatusMessage}`);

      const deleted = await remove(cc, c.type, c.identifier);
      assert.equal(deleted.OperationStatus, "SUCCESS", `${c.type}: ${deleted.StatusMessage}`);
      await notFound(cc.GetResource!({ TypeName: c.type, Identifier: c.identifier }, ctx));
      const again = await remove(cc, c.type, c.identifier);
      assert.equal(again.OperationStatus, "FAILED");
      assert.equal(again.ErrorCode, "NotFound");
    }
  });
});

test("Glue table through Cloud Control: compound identifier, rename is NotUpdatable, read-only Id", async () => {
  await withCloud(async (cc) => {
    await create(cc, "AWS::Glue::Database", { CatalogId: LOCAL_ACCOUNT_ID, DatabaseInput: { Name: "crm" } });
    const table = {
      CatalogId: LOCAL_ACCOUNT_ID,
      DatabaseName: "crm",
      TableInput: {
        Name: "customers",
        StorageDescriptor: { Location: "s3://b/customers/", Columns: [{ Name: "id", Type: "string" }] },
      },
    };
    const created = await create(cc, "AWS::Glue::Table", table);
    assert.equal(created.OperationStatus, "SUCCESS", created.StatusMessage);
    assert.equal(created.Identifier, "crm|customers");
    const props = await properties(cc, "AWS::Glue::Table", "crm|customers");
    assert.equal(props.Id, "customers");
    assert.equal(props.TableInput.StorageDescriptor.Location, "s3://b/customers/");

    const added = await update(cc, "AWS::Glue::Table", "crm|customers", [
      {
        op: "add",
        path: "/TableInput/StorageDescriptor/Columns/-",
        value: { Name: "email", Type: "string" },
      },
    ]);
    assert.equal(added.OperationStatus, "SUCCESS", added.StatusMessage);
    assert.equal(
      (await properties(cc, "AWS::Glue::Table", "crm|customers")).TableInput.StorageDescriptor.Columns.length,
      2,
    );
    const renamed = await update(cc, "AWS::Glue::Table", "crm|customers", [
      { op: "replace", path: "/TableInput/Name", value: "x" },
    ]);
    assert.equal(renamed.ErrorCode, "NotUpdatable");
    const dropped = await update(cc, "AWS::Glue::Table", "crm|customers", [
      { op: "remove", path: "/Id" },
      { op: "remove", path: "/CatalogId" },
    ]);
    assert.equal(dropped.OperationStatus, "SUCCESS", "dropping read-only or create-only members keeps them");
    assert.equal((await properties(cc, "AWS::Glue::Table", "crm|customers")).CatalogId, LOCAL_ACCOUNT_ID);
    const readOnly = await update(cc, "AWS::Glue::Table", "crm|customers", [
      { op: "replace", path: "/Id", value: "x" },
    ]);
    assert.equal(readOnly.ErrorCode, "InvalidRequest");
    assert.match(readOnly.StatusMessage, /readOnlyProperties \[\/properties\/Id\]/);
    const list = await cc.ListResources!(
      { TypeName: "AWS::Glue::Table", ResourceModel: JSON.stringify({ DatabaseName: "crm" }) },
      ctx,
    );
    assert.deepEqual(
      list.ResourceDescriptions.map((d: { Identifier: string }) => d.Identifier),
      ["crm|customers"],
    );
  });
});

test("validation, AlreadyExists with the Identifier, unknown types, bad patches", async () => {
  await withCloud(async (cc) => {
    const invalid = await create(cc, "AWS::IAM::Role", {
      RoleName: "r",
      AssumeRolePolicyDocument: trust,
      MaxSessionDuration: 60,
    });
    assert.equal(invalid.OperationStatus, "FAILED");
    assert.equal(invalid.ErrorCode, "InvalidRequest");
    assert.match(invalid.StatusMessage, /#\/MaxSessionDuration/);
    const extra = await create(cc, "AWS::S3::Bucket", { BucketName: "extra-keys", Arn: "x" });
    assert.equal(extra.ErrorCode, "InvalidRequest");
    assert.match(extra.StatusMessage, /Arn/);

    assert.equal(
      (await create(cc, "AWS::S3::Bucket", { BucketName: "dupe-bucket" })).OperationStatus,
      "SUCCESS",
    );
    const generated = await create(cc, "AWS::S3::Bucket", {});
    assert.equal(generated.OperationStatus, "SUCCESS", generated.StatusMessage);
    assert.match(generated.Identifier, /^idbridge-[0-9a-f]{16}$/);
    const dupe = await create(cc, "AWS::S3::Bucket", { BucketName: "dupe-bucket" });
    assert.equal(dupe.OperationStatus, "FAILED");
    assert.equal(dupe.ErrorCode, "AlreadyExists");
    assert.equal(dupe.Identifier, "dupe-bucket", "adopt needs the Identifier");

    await create(cc, "AWS::Glue::Database", {
      CatalogId: LOCAL_ACCOUNT_ID,
      DatabaseInput: { Name: "only_input_name" },
    });
    const dupeDb = await create(cc, "AWS::Glue::Database", {
      CatalogId: LOCAL_ACCOUNT_ID,
      DatabaseInput: { Name: "only_input_name" },
    });
    assert.equal(dupeDb.ErrorCode, "AlreadyExists");
    assert.equal(
      dupeDb.Identifier,
      "only_input_name",
      "the provider names the identifier when the model does not",
    );

    await assert.rejects(cc.CreateResource!({ TypeName: "AWS::Nope::Thing", DesiredState: "{}" }, ctx), {
      code: "TypeNotFoundException",
    });
    await assert.rejects(cc.CreateResource!({ TypeName: "AWS::S3::Bucket", DesiredState: "not json" }, ctx), {
      code: "InvalidRequestException",
    });
    const badPatch = await update(cc, "AWS::S3::Bucket", "dupe-bucket", [
      { op: "test", path: "/BucketName", value: "x" },
    ]);
    assert.equal(badPatch.ErrorCode, "InvalidRequest");
    assert.match(badPatch.StatusMessage, /operation 0 \(test \/BucketName\)/);
    const tolerated = await update(cc, "AWS::S3::Bucket", "dupe-bucket", [
      { op: "remove", path: "/Tags" },
      { op: "replace", path: "/VersioningConfiguration", value: { Status: "Enabled" } },
      { op: "add", path: "/Tags", value: [{ Key: "a", Value: "1" }] },
      { op: "remove", path: "/Tags/0" },
    ]);
    assert.equal(tolerated.OperationStatus, "SUCCESS", tolerated.StatusMessage);
    const tags = await properties(cc, "AWS::S3::Bucket", "dupe-bucket");
    assert.deepEqual([tags.Tags, tags.VersioningConfiguration], [[], { Status: "Enabled" }]);
    const missing = await update(cc, "AWS::S3::Bucket", "ghost-bucket", [
      { op: "add", path: "/Tags", value: [] },
    ]);
    assert.equal(missing.ErrorCode, "NotFound");
    await assert.rejects(cc.GetResourceRequestStatus!({ RequestToken: "nope" }, ctx), {
      code: "RequestTokenNotFoundException",
    });
  });
});

test("ClientToken idempotency, ListResources and ListResourceRequests paging, cancel", async () => {
  await withCloud(async (cc, cloud) => {
    const first = await cc.CreateResource!(
      {
        TypeName: "AWS::S3::Bucket",
        DesiredState: JSON.stringify({ BucketName: "token-bucket" }),
        ClientToken: "t-1",
      },
      ctx,
    );
    const repeat = await cc.CreateResource!(
      {
        TypeName: "AWS::S3::Bucket",
        DesiredState: JSON.stringify({ BucketName: "token-bucket" }),
        ClientToken: "t-1",
      },
      ctx,
    );
    assert.equal(repeat.ProgressEvent.RequestToken, first.ProgressEvent.RequestToken);
    await assert.rejects(
      cc.CreateResource!(
        {
          TypeName: "AWS::S3::Bucket",
          DesiredState: JSON.stringify({ BucketName: "other-bucket" }),
          ClientToken: "t-1",
        },
        ctx,
      ),
      (error: unknown) =>
        error instanceof AwsError && error.code === "ClientTokenConflictException" && error.status === 400,
    );
    assert.equal((await waitFor(cc, first.ProgressEvent.RequestToken)).OperationStatus, "SUCCESS");
    const afterDone = await cc.CreateResource!(
      {
        TypeName: "AWS::S3::Bucket",
        DesiredState: JSON.stringify({ BucketName: "token-bucket" }),
        ClientToken: "t-1",
      },
      ctx,
    );
    assert.equal(
      afterDone.ProgressEvent.OperationStatus,
      "SUCCESS",
      "a retried request reports the original outcome",
    );

    for (let i = 0; i < 5; i++) await create(cc, "AWS::S3::Bucket", { BucketName: `page-${i}` });
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await cc.ListResources!(
        { TypeName: "AWS::S3::Bucket", MaxResults: 2, ...(NextToken ? { NextToken } : {}) },
        ctx,
      );
      assert.ok(page.ResourceDescriptions.length <= 2);
      seen.push(...page.ResourceDescriptions.map((d: { Identifier: string }) => d.Identifier));
      NextToken = page.NextToken;
    } while (NextToken);
    assert.deepEqual(seen, ["page-0", "page-1", "page-2", "page-3", "page-4", "token-bucket"]);

    const requests = await cc.ListResourceRequests!(
      {
        MaxResults: 3,
        ResourceRequestStatusFilter: { Operations: ["CREATE"], OperationStatuses: ["SUCCESS"] },
      },
      ctx,
    );
    assert.equal(requests.ResourceRequestStatusSummaries.length, 3);
    assert.ok(requests.NextToken);
    const rest = await cc.ListResourceRequests!(
      {
        MaxResults: 100,
        NextToken: requests.NextToken,
        ResourceRequestStatusFilter: { Operations: ["CREATE"], OperationStatuses: ["SUCCESS"] },
      },
      ctx,
    );
    assert.equal(
      requests.ResourceRequestStatusSummaries.length + rest.ResourceRequestStatusSummaries.length,
      6,
    );

    await cloud.idle();
  });
});

test("restart: resources and request records survive; requests left IN_PROGRESS are completed or failed with a reason", async () => {
  const home = mkdtempSync(join(tmpdir(), "idbridge-cc-restart-"));
  try {
    let cloud = await LocalCloud.open({ home });
    let cc = cloud.services.cloudcontrolapi!.operations;
    const done = await create(cc, "AWS::S3::Bucket", { BucketName: "kept-bucket" });
    await cloud.close();

    // What a kill -9 mid-request leaves: request records still IN_PROGRESS.
    const store = await openStore(home);
    const now = new Date().toISOString();
    const record = (token: string, body: object, desired?: object) => ({
      event: {
        TypeName: "AWS::S3::Bucket",
        RequestToken: token,
        Operation: "CREATE",
        OperationStatus: "IN_PROGRESS",
        EventTime: now,
      },
      createdAt: now,
      accountId: LOCAL_ACCOUNT_ID,
      region: LOCAL_REGION,
      body: JSON.stringify(body),
      ...(desired ? { desired } : {}),
    });
    await store.transact((tx) => {
      tx.put("cloudcontrol.requests", "not-started", record("not-started", { BucketName: "resumed-bucket" }));
      tx.put("cloudcontrol.requests", "created-before-crash", {
        ...record("created-before-crash", { BucketName: "kept-bucket" }, { BucketName: "kept-bucket" }),
        creating: true,
      });
      // Stopped before it called the provider: the bucket that exists is another request's.
      tx.put(
        "cloudcontrol.requests",
        "not-begun-taken",
        record("not-begun-taken", { BucketName: "kept-bucket" }, { BucketName: "kept-bucket" }),
      );
      tx.put("cloudcontrol.requests", "generated-name", record("generated-name", {}));
    });
    await store.close();

    cloud = await LocalCloud.open({ home });
    cc = cloud.services.cloudcontrolapi!.operations;
    await cloud.idle();
    const status = async (token: string) =>
      (await cc.GetResourceRequestStatus!({ RequestToken: token }, ctx)).ProgressEvent;
    assert.equal((await status(done.RequestToken)).OperationStatus, "SUCCESS", "finished requests are kept");
    assert.equal((await status("not-started")).OperationStatus, "SUCCESS");
    await properties(cc, "AWS::S3::Bucket", "resumed-bucket");
    const finished = await status("created-before-crash");
    assert.equal(finished.OperationStatus, "SUCCESS");
    assert.equal(finished.Identifier, "kept-bucket");
    const taken = await status("not-begun-taken");
    assert.equal(taken.OperationStatus, "FAILED", "a resource it did not create is not claimed");
    assert.equal(taken.ErrorCode, "AlreadyExists");
    const generated = await status("generated-name");
    assert.equal(
      generated.OperationStatus,
      "SUCCESS",
      "a generated name is derived from the request, so it is resumable",
    );
    await properties(cc, "AWS::S3::Bucket", generated.Identifier);
    await properties(cc, "AWS::S3::Bucket", "kept-bucket");
    await cloud.close();
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test("a request in progress blocks other operations on the resource and can be cancelled", async () => {
  const home = mkdtempSync(join(tmpdir(), "idbridge-cc-cancel-"));
  const store = await openStore(home);
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const models = new Map<string, Record<string, unknown>>([["held", { BucketName: "held" }]]);
  // A provider whose delete waits for the test, so the request is reliably still running.
  const held: ResourceProvider = {
    type: BucketResource,
    create: async (desired) => ({ identifier: String(desired.BucketName), model: desired }),
    read: async (id) => models.get(id),
    update: async (_id, desired) => desired,
    delete: async (id) => {
      await gate;
      models.delete(id);
    },
    list: async () => [...models].map(([identifier, model]) => ({ identifier, model })),
  };
  const engine = createCloudControl(store, [held]);
  const cc = engine.service.operations;
  try {
    const pending = await cc.DeleteResource!({ TypeName: "AWS::S3::Bucket", Identifier: "held" }, ctx);
    await assert.rejects(
      cc.DeleteResource!({ TypeName: "AWS::S3::Bucket", Identifier: "held" }, ctx),
      (error: unknown) => {
        assert.ok(error instanceof AwsError);
        assert.equal(error.code, "ConcurrentOperationException");
        assert.equal(error.status, 400);
        assert.ok(
          error.message.includes(`RequestToken ${pending.ProgressEvent.RequestToken}`),
          "names the running request",
        );
        return true;
      },
    );
    const cancelled = await cc.CancelResourceRequest!(
      { RequestToken: pending.ProgressEvent.RequestToken },
      ctx,
    );
    assert.equal(cancelled.ProgressEvent.OperationStatus, "CANCEL_IN_PROGRESS");
    release();
    assert.equal((await waitFor(cc, pending.ProgressEvent.RequestToken)).OperationStatus, "CANCEL_COMPLETE");
    await assert.rejects(
      cc.CancelResourceRequest!({ RequestToken: pending.ProgressEvent.RequestToken }, ctx),
      {
        code: "ConcurrentModificationException",
      },
    );
  } finally {
    release();
    await engine.stop();
    await store.close();
    rmSync(home, { recursive: true, force: true });
  }
});

const CRASHER = `
import { LocalCloud } from ${JSON.stringify(new URL("../index.ts", import.meta.url).href)};
const cloud = await LocalCloud.open({ home: process.argv[2] });
const cc = cloud.services.cloudcontrolapi.operations;
const ctx = { accountId: "000000000000", region: "us-east-1", requestId: "crash" };
const trust = { Statement: [{ Effect: "Allow", Principal: { Service: "entityresolution.amazonaws.com" }, Action: "sts:AssumeRole" }] };
const policies = Array.from({ length: 8 }, (_, i) => ({ PolicyName: "p" + i, PolicyDocument: { Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b" + i + "/*" }] } }));
for (let i = 0; ; i++) {
  const { ProgressEvent } = await cc.CreateResource({ TypeName: "AWS::IAM::Role", DesiredState: JSON.stringify({ RoleName: "crash-" + i, AssumeRolePolicyDocument: trust, Policies: policies }) }, ctx);
  process.stdout.write(ProgressEvent.RequestToken + "\\n");
}
`;

test("SIGKILL while requests run: on reopen none is left IN_PROGRESS and every SUCCESS resource is whole", async () => {
  const home = mkdtempSync(join(tmpdir(), "idbridge-cc-kill-"));
  try {
    const script = join(home, "crasher.mts");
    writeFileSync(script, CRASHER);
    const child = spawn(process.execPath, ["--import", "tsx", script, join(home, "cloud")], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const tokens: string[] = [];
    await new Promise<void>((resolve, reject) => {
      child.on("error", reject);
      child.on("exit", (code) => reject(new Error(`crasher exited early with ${code}`)));
      child.stdout.setEncoding("utf8");
      child.stdout.on("data", (chunk: string) => {
        tokens.push(...chunk.split("\n").filter(Boolean));
        if (tokens.length >= 20) resolve();
      });
    });
    child.removeAllListeners("exit");
    const exited = new Promise((r) => child.on("exit", r));
    child.kill("SIGKILL");
    await exited;

    const cloud = await LocalCloud.open({ home: join(home, "cloud") });
    try {
      await cloud.idle();
      const cc = cloud.services.cloudcontrolapi!.operations;
      for (const token of tokens) {
        const { ProgressEvent: event } = await cc.GetResourceRequestStatus!({ RequestToken: token }, ctx);
        assert.ok(
          ["SUCCESS", "FAILED"].includes(event.OperationStatus),
          `${token}: ${event.OperationStatus}`,
        );
        if (event.OperationStatus === "FAILED") assert.ok(event.StatusMessage, "a failure says why");
        if (event.OperationStatus === "SUCCESS") {
          const props = await properties(cc, "AWS::IAM::Role", event.Identifier);
          assert.equal(props.Policies.length, 8, `${event.Identifier} has all its inline policies`);
        }
      }
    } finally {
      await cloud.close();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test("restart: a create whose identifier cannot be known is failed with the reason once it may have created, else run", async () => {
  const home = mkdtempSync(join(tmpdir(), "idbridge-cc-unknown-"));
  const store = await openStore(home);
  let creates = 0;
  // A provider whose service assigns the identifier (like Clean Rooms ids): nothing to check on restart.
  const assigned: ResourceProvider = {
    type: BucketResource,
    create: async (desired) => {
      creates++;
      return { identifier: "assigned", model: desired };
    },
    read: async () => undefined,
    update: async (_id, desired) => desired,
    delete: async () => {},
    list: async () => [],
  };
  const now = new Date().toISOString();
  const inProgress = (token: string) => ({
    event: {
      TypeName: "AWS::S3::Bucket",
      RequestToken: token,
      Operation: "CREATE",
      OperationStatus: "IN_PROGRESS",
      EventTime: now,
    },
    createdAt: now,
    accountId: LOCAL_ACCOUNT_ID,
    region: LOCAL_REGION,
    body: "{}",
    desired: {},
  });
  await store.transact((tx) => {
    tx.put("cloudcontrol.requests", "cut-short", { ...inProgress("cut-short"), creating: true });
    tx.put("cloudcontrol.requests", "not-begun", inProgress("not-begun"));
  });
  const engine = createCloudControl(store, [assigned]);
  try {
    await engine.start();
    await engine.idle();
    const { ProgressEvent } = await engine.service.operations.GetResourceRequestStatus!(
      { RequestToken: "cut-short" },
      ctx,
    );
    assert.equal(ProgressEvent.OperationStatus, "FAILED");
    assert.equal(ProgressEvent.ErrorCode, "InternalFailure");
    assert.match(
      ProgressEvent.StatusMessage,
      /stopped while this request was in progress.*List resources of type AWS::S3::Bucket/,
    );
    const notBegun = await engine.service.operations.GetResourceRequestStatus!(
      { RequestToken: "not-begun" },
      ctx,
    );
    assert.equal(
      notBegun.ProgressEvent.OperationStatus,
      "SUCCESS",
      "one that had not called the provider runs",
    );
    assert.equal(creates, 1, "no second resource is created for the one cut short");
  } finally {
    await engine.stop();
    await store.close();
    rmSync(home, { recursive: true, force: true });
  }
});

test("SchemaMapping: a Description/MappedInputFields patch reaches ER (GetResource and GetSchemaMapping show it); HasWorkflows is returned", async () => {
  await withCloud(async (cc, cloud) => {
    const type = "AWS::EntityResolution::SchemaMapping";
    const fields = [
      { FieldName: "id", Type: "UNIQUE_ID" },
      { FieldName: "email", Type: "EMAIL_ADDRESS", MatchKey: "Email" },
    ];
    const created = await create(cc, type, { SchemaName: "upd", MappedInputFields: fields });
    assert.equal(created.OperationStatus, "SUCCESS", created.StatusMessage);
    assert.equal((await properties(cc, type, "upd")).HasWorkflows, false);
    const phone = { FieldName: "phone", Type: "PHONE", MatchKey: "Phone" };
    const updated = await update(cc, type, "upd", [
      { op: "add", path: "/Description", value: "changed" },
      { op: "add", path: "/MappedInputFields/-", value: phone },
    ]);
    assert.equal(updated.OperationStatus, "SUCCESS", updated.StatusMessage);
    const model = await properties(cc, type, "upd");
    assert.equal(model.Description, "changed");
    assert.deepEqual(model.MappedInputFields, [...fields, phone]);
    const er = await cloud.services["entityresolution"]!.operations["GetSchemaMapping"]!(
      { schemaName: "upd" },
      ctx,
    );
    assert.equal(er["description"], "changed");
    assert.equal(er["mappedInputFields"].length, 3);
  });
});
