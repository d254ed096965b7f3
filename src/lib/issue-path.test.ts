import assert from "node:assert/strict";
import { test } from "node:test";
import { issuePath } from "./issue-path.ts";

test("issuePath: dots between names, brackets for indexes, root first", () => {
  assert.equal(issuePath(["rules", 2, "matchingKeys", 0]), "rules[2].matchingKeys[0]");
  assert.equal(issuePath([0, "ruleName"]), "[0].ruleName");
  assert.equal(issuePath([]), "");
  assert.equal(issuePath(["Name"], "TableInput"), "TableInput.Name");
  assert.equal(issuePath([3], "Columns"), "Columns[3]");
});
