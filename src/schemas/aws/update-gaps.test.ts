/**
 * Keeps src/schemas/deviations.ts UPDATE_GAPS and UNSTORED_PROPERTIES honest against botocore's
 * models of Entity Resolution and Clean Rooms: every property AWS's CloudFormation schema lets an
 * update change has a member in the service's update operation, unless it is listed as a gap; every
 * listed gap really lacks one. Skipped with a message where python3's botocore is not installed.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { UNSTORED_PROPERTIES, UPDATE_GAPS } from "../deviations.ts";
import { resourceTypes } from "../index.ts";

const botocore = spawnSync(
  "python3",
  ["-c", "import botocore,os;print(os.path.dirname(botocore.__file__))"],
  {
    encoding: "utf8",
  },
);
const botocoreDir = botocore.status === 0 ? botocore.stdout.trim() : undefined;
const SKIP = botocoreDir
  ? false
  : "python3's botocore is not installed (`pip install botocore`); it holds the API models this test reads";

interface Model {
  operations: Record<string, { input?: { shape: string } }>;
  shapes: Record<string, { members?: Record<string, { shape: string }> }>;
}
const models = new Map<string, Model>();
function model(service: string, version: string): Model {
  const key = `${service}/${version}`;
  if (!models.has(key)) {
    const file = join(botocoreDir!, "data", service, version, "service-2.json.gz");
    models.set(key, JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")));
  }
  return models.get(key)!;
}

/** Each type's update operation (Tags go through TagResource/UntagResource instead). */
const UPDATE_OPERATIONS: Record<string, [service: string, version: string, operation: string]> = {
  "AWS::EntityResolution::SchemaMapping": ["entityresolution", "2018-05-10", "UpdateSchemaMapping"],
  "AWS::EntityResolution::IdNamespace": ["entityresolution", "2018-05-10", "UpdateIdNamespace"],
  "AWS::EntityResolution::IdMappingWorkflow": ["entityresolution", "2018-05-10", "UpdateIdMappingWorkflow"],
  "AWS::CleanRooms::Collaboration": ["cleanrooms", "2022-02-17", "UpdateCollaboration"],
  "AWS::CleanRooms::Membership": ["cleanrooms", "2022-02-17", "UpdateMembership"],
  "AWS::CleanRooms::IdMappingTable": ["cleanrooms", "2022-02-17", "UpdateIdMappingTable"],
  "AWS::CleanRooms::IdNamespaceAssociation": ["cleanrooms", "2022-02-17", "UpdateIdNamespaceAssociation"],
};
/** CloudFormation names whose API member is not the name with a lower-case first letter. */
const API_NAMES: Record<string, string> = { IdMappingIncrementalRunConfig: "incrementalRunConfig" };
const apiName = (property: string) =>
  API_NAMES[property] ?? property.charAt(0).toLowerCase() + property.slice(1);

function updateMembers(typeName: string): string[] {
  const [service, version, operation] = UPDATE_OPERATIONS[typeName]!;
  const api = model(service, version);
  const input = api.operations[operation]?.input?.shape;
  assert.ok(input, `${operation} is in botocore's ${service} model`);
  return Object.keys(api.shapes[input]!.members ?? {});
}

describe("update gaps agree with botocore's models", { skip: SKIP }, () => {
  test("every updatable property of the ER and Clean Rooms types has a member in the update operation, or is a listed gap", () => {
    for (const typeName of Object.keys(UPDATE_OPERATIONS)) {
      const type = resourceTypes[typeName]!;
      const members = updateMembers(typeName);
      const updatable = Object.keys(type.props.shape).filter(
        (name) => name !== "Tags" && !type.createOnly.includes(name),
      );
      for (const property of updatable) {
        const gap = UPDATE_GAPS.some((g) => g.typeName === typeName && g.property === property);
        assert.equal(
          !members.includes(apiName(property)),
          gap,
          gap
            ? `${typeName}.${property} is listed in UPDATE_GAPS but ${UPDATE_OPERATIONS[typeName]![2]} has the member ${apiName(property)}: remove it from the list and update through the operation`
            : `${typeName}.${property} is updatable in AWS's schema but ${UPDATE_OPERATIONS[typeName]![2]} has no ${apiName(property)}: list it in UPDATE_GAPS`,
        );
      }
    }
    for (const gap of UPDATE_GAPS)
      assert.equal(gap.operation, UPDATE_OPERATIONS[gap.typeName]?.[2], gap.property);
  });

  test("the unstored properties have no member anywhere in the service's model", () => {
    for (const { typeName, property } of UNSTORED_PROPERTIES) {
      const [service, version] = UPDATE_OPERATIONS[typeName]!;
      const member = apiName(property.split("/").at(-1)!);
      const holders = Object.entries(model(service, version).shapes)
        .filter(([, shape]) => Object.keys(shape.members ?? {}).includes(member))
        .map(([name]) => name);
      assert.deepEqual(holders, [], `${member} is in ${holders.join(", ")}: store and return it`);
    }
  });
});
