import assert from "node:assert/strict";
import { test } from "node:test";
import { deleteAt, entriesAt } from "./json-pointer.ts";

test("a '*' segment of a property path names each list item (resource schemas' writeOnlyProperties)", () => {
  const model = {
    LifecycleConfiguration: {
      Rules: [
        { Id: "a", Status: "Enabled", Transition: { StorageClass: "GLACIER", TransitionInDays: 30 } },
        { Id: "b", Status: "Enabled" },
        { Id: "c", Status: "Enabled", Transition: { StorageClass: "STANDARD_IA", TransitionInDays: 60 } },
      ],
    },
  };
  assert.deepEqual(
    entriesAt(model, "LifecycleConfiguration/Rules/*/Transition").map(([path]) => path),
    ["LifecycleConfiguration/Rules/0/Transition", "LifecycleConfiguration/Rules/2/Transition"],
  );
  deleteAt(model, "LifecycleConfiguration/Rules/*/Transition");
  assert.deepEqual(model.LifecycleConfiguration.Rules, [
    { Id: "a", Status: "Enabled" },
    { Id: "b", Status: "Enabled" },
    { Id: "c", Status: "Enabled" },
  ]);
  // Paths through absent members name nothing and delete nothing.
  deleteAt(model, "ReplicationConfiguration/Rules/*/Prefix");
  assert.deepEqual(entriesAt(model, "ReplicationConfiguration/Rules/*/Prefix"), []);
  assert.deepEqual(Object.keys(model), ["LifecycleConfiguration"]);
});
