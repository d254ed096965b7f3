import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { DEVIATIONS } from "../deviations.ts";
import { resourceTypes } from "../index.ts";
import { generateModules, propertyPath, type Snapshot } from "./codegen.ts";

const here = new URL("./", import.meta.url);
const snapshot = JSON.parse(readFileSync(new URL("cfn-schemas.json", here), "utf8")) as Snapshot;

describe("the generated schemas are AWS's, from the snapshot", () => {
  test("the snapshot says where it came from and holds every type idbridge manages", () => {
    assert.equal(snapshot.source.package, "cfn-lint");
    assert.match(snapshot.source.version, /^\d+\.\d+\.\d+/);
    assert.match(snapshot.source.retrieved, /^\d{4}-\d{2}-\d{2}$/);
    assert.deepEqual(Object.keys(snapshot.schemas).sort(), Object.keys(resourceTypes).sort());
  });

  test("src/schemas/aws/generated/ is exactly what the generator makes of the snapshot (npm run schemas:generate)", () => {
    const expected = generateModules(snapshot);
    const dir = new URL("generated/", here);
    assert.deepEqual(readdirSync(dir).sort(), [...expected.keys()].sort());
    for (const [file, text] of expected) {
      assert.equal(
        readFileSync(new URL(file, dir), "utf8"),
        text,
        `${file} differs: rerun npm run schemas:generate`,
      );
    }
  });

  test("every resource type's facts are the snapshot's, except the listed deviations", () => {
    const paths = (schema: Record<string, unknown>, key: string) =>
      ((schema[key] ?? []) as string[]).map(propertyPath);
    for (const [typeName, schema] of Object.entries(snapshot.schemas)) {
      const type = resourceTypes[typeName]!;
      assert.deepEqual(type.createOnly, paths(schema, "createOnlyProperties"), `${typeName} createOnly`);
      assert.deepEqual(type.readOnly, paths(schema, "readOnlyProperties"), `${typeName} readOnly`);
      assert.deepEqual(type.writeOnly, paths(schema, "writeOnlyProperties"), `${typeName} writeOnly`);
      const deviation = DEVIATIONS.find((d) => d.typeName === typeName && d.fact === "primaryIdentifier");
      assert.deepEqual(
        type.primaryIdentifier,
        deviation ? deviation.idbridge : paths(schema, "primaryIdentifier"),
        `${typeName} primaryIdentifier`,
      );
      if (deviation)
        assert.deepEqual(
          deviation.aws,
          paths(schema, "primaryIdentifier"),
          "the deviation names AWS's value",
        );
      const writable = Object.keys(schema.properties as object).filter(
        (name) => !type.readOnly.includes(name),
      );
      assert.deepEqual(Object.keys(type.props.shape).sort(), writable.sort(), `${typeName} property names`);
    }
  });
});
