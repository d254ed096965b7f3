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

  it("is the same module as the package root's", async () => {
    const control = await import("idbridge/aws/control");
    const root = await import("idbridge");
    const local = await import("./aws/control.ts");
    assert.equal(control.default, local.default);
    assert.equal(typeof root.idbridge.app, "function");
  });
});
