/**
 * For tests: the update round trip of one CloudFormation type, driven by AWS's resource schema
 * (src/schemas/aws/cfn-schemas.json). For every updatable top-level property (neither createOnly nor
 * readOnly) a valid new value is patched through Cloud Control's UpdateResource with the official
 * SDK client against `idbridge serve`; GetResource and the service's own Get API must both show it.
 * Every createOnly property patched to a new value must answer NotUpdatable; every readOnly property
 * must be in GetResource's model; no writeOnly path may be.
 *
 * A type joins with a RoundTripAdapter: how to create one (and what it needs), the service's view
 * of each property, and valid values where the schema's pattern cannot make a meaningful one.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CleanRoomsClient } from "@aws-sdk/client-cleanrooms";
import {
  CloudControlClient,
  CreateResourceCommand,
  GetResourceCommand,
  GetResourceRequestStatusCommand,
  type ProgressEvent,
  UpdateResourceCommand,
} from "@aws-sdk/client-cloudcontrol";
import { EntityResolutionClient } from "@aws-sdk/client-entityresolution";
import { GlueClient } from "@aws-sdk/client-glue";
import { IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";
import { LocalCloud } from "../../src/cloud/index.ts";
import { deleteAt, entriesAt, jsonEqual } from "../../src/cloud/kit/json-pointer.ts";
import type { JsonSchema, Snapshot } from "../../src/schemas/aws/codegen.ts";
import { propertyValues } from "../../src/schemas/aws/corpus.ts";
import { conforming } from "../../src/serve/conformance.ts";
import { type RunningServer, startServer } from "../../src/serve/index.ts";

export interface RoundTripClients {
  cloudcontrol: CloudControlClient;
  s3: S3Client;
  glue: GlueClient;
  iam: IAMClient;
  entityResolution: EntityResolutionClient;
  cleanRooms: CleanRoomsClient;
  /** The in-process local cloud behind the server, for service operations no SDK call reaches. */
  cloud: LocalCloud;
}

type Model = Record<string, unknown>;

export interface RoundTripAdapter {
  typeName: string;
  /** The desired state of a resource to create; makes what it needs (other resources) first. */
  desired(clients: RoundTripClients, run: string): Promise<Model>;
  /**
   * Valid new values for properties whose schema cannot yield a meaningful one (ARNs of things that
   * must exist, values the service checks beyond the schema). A function gets the current model.
   */
  values?: Record<string, unknown | ((clients: RoundTripClients, model: Model) => unknown)>;
  /**
   * The property as the service's own Get API shows it, in CloudFormation's shape (what the
   * patch set must be contained in it). Every updatable property needs one.
   */
  service: Record<string, (clients: RoundTripClients, identifier: string, model: Model) => Promise<unknown>>;
  /**
   * Properties AWS's schema calls updatable whose only other valid values the service itself refuses
   * here (a CatalogId is another account's catalog): the new value, the HandlerErrorCode the
   * service's refusal maps to, and why. The patch must fail with that code and change nothing.
   */
  refused?: Record<string, { value: unknown; errorCode: string; why: string }>;
  /**
   * Properties to patch first, in this order, because the service accepts others only after them
   * (S3 Object Lock needs versioning on); the rest follow in the schema's order.
   */
  first?: readonly string[];
  /** Properties whose round trip is known not to work yet, with why: they run as todo tests. */
  pending?: Record<string, string>;
}

const snapshot = JSON.parse(
  await readFile(new URL("../../src/schemas/aws/cfn-schemas.json", import.meta.url), "utf8"),
) as Snapshot;

const pointers = (schema: JsonSchema, key: string) =>
  ((schema[key] ?? []) as string[]).map((p) => p.replace(/^\/properties\//, ""));

/** The type's properties by role, from AWS's resource schema. */
export function propertyRoles(typeName: string) {
  const schema = snapshot.schemas[typeName];
  if (!schema) throw new Error(`${typeName} is not in src/schemas/aws/cfn-schemas.json`);
  const createOnly = pointers(schema, "createOnlyProperties");
  const readOnly = pointers(schema, "readOnlyProperties");
  const writeOnly = pointers(schema, "writeOnlyProperties");
  const names = Object.keys((schema.properties ?? {}) as Record<string, unknown>);
  return {
    schema,
    createOnly: createOnly.filter((p) => !p.includes("/")),
    readOnly,
    writeOnly,
    updatable: names.filter((name) => !createOnly.includes(name) && !readOnly.includes(name)),
  };
}

/** `actual` holds everything `expected` says: objects may have more members (service defaults), lists match item by item. */
export function assertContains(actual: unknown, expected: unknown, where: string): void {
  if (expected !== null && typeof expected === "object") {
    if (Array.isArray(expected)) {
      assert.ok(Array.isArray(actual), `${where}: expected a list, got ${JSON.stringify(actual)}`);
      assert.equal(
        actual.length,
        expected.length,
        `${where}: ${JSON.stringify(actual)} has not the items of ${JSON.stringify(expected)}`,
      );
      for (const [i, item] of expected.entries()) assertContains(actual[i], item, `${where}/${i}`);
      return;
    }
    assert.ok(
      actual !== null && typeof actual === "object" && !Array.isArray(actual),
      `${where}: expected an object, got ${JSON.stringify(actual)}`,
    );
    for (const [key, value] of Object.entries(expected))
      assertContains((actual as Model)[key], value, `${where}/${key}`);
    return;
  }
  assert.deepEqual(
    actual,
    expected,
    `${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
  );
}

/** The value without what the paths (read-only or write-only members nested in the property) name. */
function settable(value: unknown, property: string, paths: readonly string[]): unknown {
  const document: Model = { [property]: structuredClone(value) };
  for (const path of paths) if (path.startsWith(`${property}/`)) deleteAt(document, path);
  return document[property];
}

/** A valid value for the property that differs from its current one: the adapter's, else the schema's. */
async function newValue(
  adapter: RoundTripAdapter,
  clients: RoundTripClients,
  property: string,
  model: Model,
): Promise<unknown> {
  const current = model[property];
  if (adapter.values && property in adapter.values) {
    const entry = adapter.values[property];
    const value = typeof entry === "function" ? await entry(clients, model) : entry;
    assert.ok(!jsonEqual(value, current), `${property}: the adapter's value equals the current one`);
    return value;
  }
  const value = propertyValues(propertyRoles(adapter.typeName).schema, property).find(
    (candidate) => !jsonEqual(candidate, current),
  );
  assert.ok(
    value !== undefined,
    `${property}: no new valid value from the schema; give one in the adapter's values`,
  );
  return value;
}

async function settle(
  cloudcontrol: CloudControlClient,
  event: ProgressEvent | undefined,
): Promise<ProgressEvent> {
  let current = event;
  for (;;) {
    assert.ok(current?.RequestToken, "a ProgressEvent with a RequestToken");
    if (!["PENDING", "IN_PROGRESS", "CANCEL_IN_PROGRESS"].includes(current.OperationStatus ?? ""))
      return current;
    await new Promise((resolve) => setTimeout(resolve, 10));
    current = (
      await cloudcontrol.send(new GetResourceRequestStatusCommand({ RequestToken: current.RequestToken }))
    ).ProgressEvent;
  }
}

/** The official SDK clients against `idbridge serve` on loopback, over a fresh local cloud. */
export async function startRoundTripServer(): Promise<{ clients: RoundTripClients; close(): Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), "idbridge-roundtrip-"));
  const cloud = await LocalCloud.open({ home });
  let server: RunningServer;
  try {
    server = await startServer({ cloud, home, port: 0 });
  } catch (error) {
    await cloud.close();
    throw error;
  }
  const config = { endpoint: server.url, region: "us-east-1", credentials: server.credentials };
  const clients: RoundTripClients = {
    cloudcontrol: conforming(new CloudControlClient(config)),
    s3: conforming(new S3Client({ ...config, forcePathStyle: true })),
    glue: conforming(new GlueClient(config)),
    iam: conforming(new IAMClient(config)),
    entityResolution: conforming(new EntityResolutionClient(config)),
    cleanRooms: conforming(new CleanRoomsClient(config)),
    cloud,
  };
  return {
    clients,
    async close() {
      for (const client of Object.values(clients)) if ("destroy" in client) client.destroy();
      await server.close();
      await cloud.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}

export async function createResource(clients: RoundTripClients, typeName: string, desired: Model) {
  const { ProgressEvent } = await clients.cloudcontrol.send(
    new CreateResourceCommand({ TypeName: typeName, DesiredState: JSON.stringify(desired) }),
  );
  return settle(clients.cloudcontrol, ProgressEvent);
}

export async function patchResource(
  clients: RoundTripClients,
  typeName: string,
  identifier: string,
  patch: object[],
) {
  const { ProgressEvent } = await clients.cloudcontrol.send(
    new UpdateResourceCommand({
      TypeName: typeName,
      Identifier: identifier,
      PatchDocument: JSON.stringify(patch),
    }),
  );
  return settle(clients.cloudcontrol, ProgressEvent);
}

export async function resourceModel(
  clients: RoundTripClients,
  typeName: string,
  identifier: string,
): Promise<Model> {
  const { ResourceDescription } = await clients.cloudcontrol.send(
    new GetResourceCommand({ TypeName: typeName, Identifier: identifier }),
  );
  return JSON.parse(ResourceDescription?.Properties ?? "{}") as Model;
}

/** Registers the round-trip tests of one type (node:test describe/it); one resource, patched property by property. */
export function updateRoundTrip(adapter: RoundTripAdapter): void {
  const { typeName } = adapter;
  const roles = propertyRoles(typeName);
  describe(`${typeName}: Cloud Control updates reach the service`, () => {
    let server: Awaited<ReturnType<typeof startRoundTripServer>>;
    let clients: RoundTripClients;
    let identifier: string;
    const run = `rt${process.pid}`;

    before(async () => {
      server = await startRoundTripServer();
      clients = server.clients;
      const created = await createResource(clients, typeName, await adapter.desired(clients, run));
      assert.equal(created.OperationStatus, "SUCCESS", created.StatusMessage);
      identifier = created.Identifier!;
    });
    after(() => server?.close());

    const first = adapter.first ?? [];
    const ordered = [...first, ...roles.updatable.filter((name) => !first.includes(name))];
    for (const property of ordered) {
      const refusal = adapter.refused?.[property];
      if (refusal) {
        it(`${property}: a patch the service refuses (${refusal.why}) answers ${refusal.errorCode} and changes nothing`, async () => {
          const before = await resourceModel(clients, typeName, identifier);
          const event = await patchResource(clients, typeName, identifier, [
            { op: "add", path: `/${property}`, value: refusal.value },
          ]);
          assert.equal(
            event.OperationStatus,
            "FAILED",
            `${property}: the patch to ${JSON.stringify(refusal.value)} succeeded`,
          );
          assert.equal(event.ErrorCode, refusal.errorCode, event.StatusMessage);
          assert.deepEqual(await resourceModel(clients, typeName, identifier), before);
        });
        continue;
      }
      const pending = adapter.pending?.[property];
      it(
        `${property}: a patch shows in GetResource and in the service's own API`,
        pending ? { todo: pending } : {},
        async () => {
          const value = settable(
            await newValue(adapter, clients, property, await resourceModel(clients, typeName, identifier)),
            property,
            roles.readOnly,
          );
          const event = await patchResource(clients, typeName, identifier, [
            { op: "add", path: `/${property}`, value },
          ]);
          assert.equal(
            event.OperationStatus,
            "SUCCESS",
            `${property}: ${event.ErrorCode} ${event.StatusMessage}`,
          );
          const model = await resourceModel(clients, typeName, identifier);
          if (roles.writeOnly.includes(property))
            assert.ok(!(property in model), `${property} is write-only`);
          else
            assertContains(
              model[property],
              settable(value, property, roles.writeOnly),
              `GetResource /${property}`,
            );
          const read = adapter.service[property];
          assert.ok(read, `${property}: the adapter has no service read for it`);
          assertContains(await read(clients, identifier, model), value, `the service's /${property}`);
        },
      );
    }

    for (const property of roles.createOnly) {
      it(`${property}: a patch to a new value answers NotUpdatable and changes nothing`, async () => {
        const before = await resourceModel(clients, typeName, identifier);
        const value = await newValue(adapter, clients, property, before);
        const event = await patchResource(clients, typeName, identifier, [
          { op: "add", path: `/${property}`, value },
        ]);
        assert.equal(event.OperationStatus, "FAILED");
        assert.equal(event.ErrorCode, "NotUpdatable", event.StatusMessage);
        assert.deepEqual(await resourceModel(clients, typeName, identifier), before);
      });
    }

    it("GetResource returns every readOnly property and no writeOnly one", async () => {
      const model = await resourceModel(clients, typeName, identifier);
      for (const path of roles.readOnly) {
        const parts = path.split("/");
        // A nested read-only member exists when the object holding it does.
        const parents = parts.length > 1 ? entriesAt(model, parts.slice(0, -1).join("/")) : [["", model]];
        for (const [at, parent] of parents) {
          if (parent === null || typeof parent !== "object") continue;
          assert.ok(parts.at(-1)! in parent, `readOnly /${at ? `${at}/` : ""}${parts.at(-1)} is missing`);
        }
      }
      for (const path of roles.writeOnly)
        assert.deepEqual(entriesAt(model, path), [], `writeOnly /${path} is returned`);
    });
  });
}
