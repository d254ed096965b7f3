import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resourceTypes } from "../schemas/index.ts";

describe("idbridge/aws/control", () => {
  it("default-exports the AWS namespace with one resource function per route type, like alchemy/aws/control", async () => {
    const { default: AWS } = await import("idbridge/aws/control");
    const exposed = Object.entries(AWS).flatMap(([service, types]) =>
      Object.entries(types as Record<string, unknown>).map(([type, fn]) => {
        assert.equal(typeof fn, "function", `AWS.${service}.${type} is a resource function`);
        return `AWS::${service}::${type}`;
      }),
    );
    assert.deepEqual(
      exposed.sort(),
      Object.keys(resourceTypes).sort(),
      "every CloudFormation type of the route, no more",
    );
  });

  it("the package's entry points (compiled dist/) expose what the sources do", async () => {
    const control = await import("idbridge/aws/control");
    const root = await import("idbridge");
    const local = await import("./aws/control.ts");
    const shape = (aws: Record<string, Record<string, unknown>>) =>
      Object.fromEntries(Object.entries(aws).map(([service, types]) => [service, Object.keys(types).sort()]));
    assert.deepEqual(
      shape(control.default),
      shape(local.default),
      "same services and types as src/iac/aws/control.ts",
    );
    assert.equal(typeof root.idbridge.app, "function");
  });
});
