import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyPatch } from "rfc6902";
import { IdNamespaceAssociationResource } from "../schemas/clean-rooms/id-namespace-association.ts";
import type { ResourceType } from "../schemas/resource-type.ts";
import { diffProps, driftOf, storedProps, updatePatch } from "./diff.ts";

const association = IdNamespaceAssociationResource as ResourceType;
const base = {
  MembershipIdentifier: "m-1",
  Name: "crm",
  InputReferenceConfig: { InputReferenceArn: "arn:ns/a", ManageResourcePolicies: true },
  Tags: [{ Key: "team", Value: "data" }],
};

describe("diff", () => {
  it("finds nothing when nothing changed", () => {
    assert.deepEqual(
      diffProps(association, storedProps(association, base), storedProps(association, { ...base })),
      [],
    );
    assert.deepEqual(updatePatch(association, storedProps(association, base), base), []);
  });

  it("lists changes property by property and flags create-only ones", () => {
    const changes = diffProps(association, base, {
      ...base,
      Description: "now described",
      InputReferenceConfig: { ...base.InputReferenceConfig, InputReferenceArn: "arn:ns/b" },
    });
    const byPath = Object.fromEntries(changes.map((c) => [c.path, c]));
    assert.deepEqual(Object.keys(byPath).sort(), ["/Description", "/InputReferenceConfig/InputReferenceArn"]);
    assert.equal(byPath["/Description"]!.createOnly, false);
    assert.equal(byPath["/Description"]!.before, undefined);
    assert.equal(byPath["/InputReferenceConfig/InputReferenceArn"]!.createOnly, true);
    assert.equal(byPath["/InputReferenceConfig/InputReferenceArn"]!.after, "arn:ns/b");
  });

  it("patches only what changed, replacing arrays whole", () => {
    const desired = { ...base, Name: "crm2", Tags: [{ Key: "team", Value: "ads" }] };
    const patch = updatePatch(association, storedProps(association, base), desired);
    assert.deepEqual(patch, [
      { op: "replace", path: "/Name", value: "crm2" },
      { op: "replace", path: "/Tags", value: [{ Key: "team", Value: "ads" }] },
    ]);
    // Applied to the live model (which has read-only extras and a reordered tag list), the patch yields the desired state.
    const live = { ...structuredClone(base), Arn: "arn:assoc", Tags: [{ Key: "team", Value: "data" }] };
    applyPatch(live, patch);
    assert.deepEqual({ ...live, Arn: undefined }, { ...desired, Arn: undefined });
  });

  it("removes a property the program dropped", () => {
    const patch = updatePatch(association, storedProps(association, { ...base, Description: "x" }), base);
    assert.deepEqual(patch, [{ op: "remove", path: "/Description" }]);
  });

  it("keeps write-only values out of state but sends them when they change", () => {
    const type: ResourceType = { ...association, writeOnly: ["/properties/Secret"] };
    const stored = storedProps(type, { ...base, Secret: "hunter2" });
    assert.match(String(stored.Secret), /^sha256:[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(stored).includes("hunter2"));
    assert.deepEqual(updatePatch(type, stored, { ...base, Secret: "hunter2" }), []);
    assert.deepEqual(updatePatch(type, stored, { ...base, Secret: "hunter3" }), [
      { op: "replace", path: "/Secret", value: "hunter3" },
    ]);
  });

  it("drift compares only what was applied, ignoring service defaults", () => {
    const live = {
      ...structuredClone(base),
      Arn: "arn:assoc",
      IdMappingConfig: { AllowUseAsDimensionColumn: false },
    };
    assert.deepEqual(driftOf(association, base, live), []);
    live.Name = "renamed in the console";
    live.Tags = [];
    assert.deepEqual(
      driftOf(association, base, live).map((d) => d.path),
      ["/Name", "/Tags"],
    );
  });
});
