import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { LocalCloud } from "../../cloud/index.ts";
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type Operation, type RequestContext } from "../../cloud/service.ts";
import { PropsValidationError, validateProps } from "../../iac/validate.ts";
import { SchemaMappingResource } from "../entity-resolution/schema-mapping.ts";

/**
 * Rejected properties are explained in idbridge's words — what is wrong, where (the property path)
 * and what to do — on both routes that validate them: Cloud Control on the local cloud (JSON
 * pointers, as AWS's own "Model validation failed (#/…)" messages) and iac's props check. Never a
 * validator's raw wording, never the value (it may be an email address).
 */
const ctx: RequestContext = { accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION, requestId: "messages" };
const SECRET = "jane.doe@example.com";
const field = (i: number) => ({ FieldName: `f${i}`, Type: "STRING" });
const valid = { SchemaName: "m", MappedInputFields: [{ FieldName: "id", Type: "UNIQUE_ID" }, field(1)] };

const cases: Array<{ props: Record<string, unknown>; pointer: RegExp; iac: RegExp }> = [
  {
    props: { ...valid, MappedInputFields: Array.from({ length: 36 }, (_, i) => field(i)) },
    pointer: /#\/MappedInputFields: has 36 items; AWS allows at most 35 — remove some/,
    iac: /MappedInputFields: has 36 items; AWS allows at most 35 — remove some/,
  },
  {
    props: {
      ...valid,
      Tags: [
        { Key: "a", Value: SECRET },
        { Key: "a", Value: SECRET },
      ],
    },
    pointer: /#\/Tags\/1: repeats item \[0\]; AWS requires the items to be unique — remove the duplicate/,
    iac: /Tags\.\[1\]: repeats item \[0\]/,
  },
  {
    props: { ...valid, MappedInputFields: [{ FieldName: SECRET, Type: "UNIQUE_ID" }, field(1)] },
    pointer:
      /#\/MappedInputFields\/0\/FieldName: does not match AWS's pattern \^\[a-zA-Z_0-9- \\t\]\*\$; change it/,
    iac: /MappedInputFields\.\[0\]\.FieldName: does not match AWS's pattern/,
  },
  {
    props: { ...valid, MappedInputFields: [{ FieldName: "ip", Type: "IPV4" }, field(1)] },
    pointer: /#\/MappedInputFields\/0\/Type: must be one of NAME, NAME_FIRST, .*PROVIDER_ID\)$/,
    iac: /MappedInputFields\.\[0\]\.Type: must be one of NAME, /,
  },
  {
    props: { ...valid, Descripton: "typo" },
    pointer:
      /#: unknown property Descripton; AWS's resource schema allows Description, MappedInputFields, SchemaName, Tags — remove it or fix the spelling/,
    iac: /\(props\): unknown property Descripton; .* remove it or fix the spelling/,
  },
  {
    props: { SchemaName: "m" },
    pointer: /#\/MappedInputFields: is required by AWS's resource schema but missing; add it/,
    iac: /MappedInputFields: is required by AWS's resource schema but missing; add it/,
  },
  {
    props: { ...valid, Description: SECRET.repeat(20) },
    pointer: /#\/Description: is 400 characters long; AWS allows at most 255 — shorten it/,
    iac: /Description: is 400 characters long; AWS allows at most 255 — shorten it/,
  },
];

const RAW_VALIDATOR_WORDING =
  /Too big|Too small|Invalid input|Unrecognized key|expected|must NOT have|Invalid option/;

let home: string;
let cloud: LocalCloud;
let cc: Readonly<Record<string, Operation>>;
before(async () => {
  home = mkdtempSync(join(tmpdir(), "idbridge-messages-"));
  cloud = await LocalCloud.open({ home });
  cc = cloud.services.cloudcontrolapi!.operations;
});
after(async () => {
  await cloud.close();
  rmSync(home, { recursive: true, force: true });
});

async function createFails(desired: object): Promise<string> {
  const { ProgressEvent } = await cc.CreateResource!(
    { TypeName: "AWS::EntityResolution::SchemaMapping", DesiredState: JSON.stringify(desired) },
    ctx,
  );
  for (;;) {
    const { ProgressEvent: event } = await cc.GetResourceRequestStatus!(
      { RequestToken: ProgressEvent.RequestToken },
      ctx,
    );
    if (event.OperationStatus === "IN_PROGRESS") {
      await new Promise((resolve) => setTimeout(resolve, 5));
      continue;
    }
    assert.equal(event.OperationStatus, "FAILED");
    assert.equal(event.ErrorCode, "InvalidRequest");
    return event.StatusMessage;
  }
}

describe("rejected properties are explained in idbridge's words", () => {
  for (const [i, c] of cases.entries()) {
    test(`case ${i + 1}: ${c.iac.source.slice(0, 60)}`, async () => {
      const message = await createFails(c.props);
      assert.match(message, /^Model validation failed \(/);
      assert.match(message, c.pointer);
      assert.doesNotMatch(message, RAW_VALIDATOR_WORDING);
      assert.ok(!message.includes(SECRET) && !message.includes("jane"), "the value is never echoed");

      const error = (() => {
        try {
          validateProps(SchemaMappingResource, "mapping", c.props);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      assert.ok(error instanceof PropsValidationError);
      assert.match(error.message, c.iac);
      assert.doesNotMatch(error.message, RAW_VALIDATOR_WORDING);
      assert.ok(!error.message.includes("jane"), "the value is never echoed");
    });
  }
});
