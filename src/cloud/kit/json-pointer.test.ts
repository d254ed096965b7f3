import assert from "node:assert/strict";
import { test } from "node:test";
import { deleteAt, entriesAt, withoutPaths } from "./json-pointer.ts";

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

test("withoutPaths removes what deleteAt removes from a copy, copying only the way to it", () => {
  const model = Object.freeze({
    Name: "b",
    Secret: "s",
    Tags: Object.freeze([Object.freeze({ Key: "k", Value: "v" })]),
    LifecycleConfiguration: Object.freeze({
      Rules: Object.freeze([
        Object.freeze({ Id: "a", Transition: Object.freeze({ TransitionInDays: 30 }) }),
        Object.freeze({ Id: "b" }),
      ]),
    }),
    Map: Object.freeze({ x: Object.freeze({ Password: "p", Keep: 1 }), y: Object.freeze({ Keep: 2 }) }),
    Wiped: Object.freeze({ a: 1, b: 2 }),
    List: Object.freeze([1, 2]),
  });
  const cases: string[][] = [
    [],
    ["Secret"],
    ["Absent", "Absent/Deeper/*/X"],
    ["LifecycleConfiguration/Rules/*/Transition"],
    ["Map/*/Password", "Secret", "Secret/Inner"],
    ["Wiped/*", "List/*", "Tags/0"],
    ["Tags/0/Value", "LifecycleConfiguration"],
  ];
  for (const paths of cases) {
    const expected = structuredClone(model) as Record<string, unknown>;
    for (const path of paths) deleteAt(expected, path);
    const actual = withoutPaths(model, paths);
    assert.deepEqual(actual, expected, `paths ${paths.join(", ")}`);
    // Untouched members are shared, not copied; nothing is copied when nothing goes.
    assert.equal(actual.Tags === model.Tags, !paths.includes("Tags/0/Value"), `Tags shared: ${paths}`);
    if (paths.every((p) => p.startsWith("Absent"))) assert.equal(actual, model);
  }
});
