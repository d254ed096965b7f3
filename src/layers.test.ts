// The layer rules of README.md ("Architecture"), checked over the import graph of src/ and test/.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type ImportEdge, importGraph } from "../test/support/import-graph.ts";

const REPO = fileURLToPath(new URL("..", import.meta.url));

const isTest = (path: string) => path.endsWith(".test.ts");
const isTestSupport = (path: string) => path.startsWith("test/") || /\.test(-support)?\.ts$/.test(path);
const isProduction = (path: string) => path.startsWith("src/") && !isTestSupport(path);
/** "entity-resolution" for src/cloud/entity-resolution/…; undefined for the cloud's root files. */
const cloudFolder = (path: string) => /^src\/cloud\/([^/]+)\//.exec(path)?.[1];

interface Rule {
  name: string;
  broken(edge: ImportEdge): boolean;
}

export const RULES: Rule[] = [
  {
    // A service's other files are its own business; the kit is shared by all of them.
    name: "a cloud service is entered from another service (or from outside src/cloud) only through its index.ts",
    broken: ({ from, to }) => {
      const target = cloudFolder(to);
      if (target === undefined || target === "kit" || cloudFolder(from) === target) return false;
      return to !== `src/cloud/${target}/index.ts`;
    },
  },
  {
    name: "the cloud kit and the cloud's contracts import no service",
    broken: ({ from, to }) => {
      const contract = /^src\/cloud\/[^/]+\.ts$/.test(from) && from !== "src/cloud/index.ts" && !isTest(from);
      if (!contract && cloudFolder(from) !== "kit") return false;
      const target = cloudFolder(to);
      return to === "src/cloud/index.ts" || (target !== undefined && target !== "kit");
    },
  },
  {
    name: "nothing outside src/cli imports the CLI",
    broken: ({ from, to }) => to.startsWith("src/cli/") && !from.startsWith("src/cli/"),
  },
  {
    name: "normalize does not import synth",
    broken: ({ from, to }) => from.startsWith("src/normalize/") && to.startsWith("src/synth/"),
  },
  {
    name: "production code never imports test support",
    broken: ({ from, to }) => isProduction(from) && (isTestSupport(to) || isTest(to)),
  },
];

export function violations(edges: ImportEdge[]): string[] {
  return RULES.flatMap((rule) =>
    edges.filter((edge) => rule.broken(edge)).map((edge) => `${rule.name}: ${edge.from} imports ${edge.to}`),
  );
}

describe("layer rules", () => {
  test("the sources keep every rule", () => {
    const edges = importGraph(REPO, ["src", "test"]);
    assert.ok(edges.length > 500, `only ${edges.length} imports read; is the graph reader broken?`);
    assert.deepEqual(violations(edges), []);
  });

  test("each rule catches the import it forbids, and lets the allowed one through", () => {
    const cases: Array<[ImportEdge, boolean]> = [
      [{ from: "src/cloud/amc/operations.ts", to: "src/cloud/entity-resolution/arns.ts" }, true],
      [{ from: "src/cloud/amc/operations.ts", to: "src/cloud/entity-resolution/index.ts" }, false],
      [{ from: "src/serve/amc/index.ts", to: "src/cloud/amc/local.ts" }, true],
      [{ from: "src/cloud/s3/providers/bucket.ts", to: "src/cloud/kit/calls.ts" }, false],
      [{ from: "src/cloud/kit/tagging.ts", to: "src/cloud/s3/index.ts" }, true],
      [{ from: "src/cloud/provider.ts", to: "src/cloud/cloudcontrol/index.ts" }, true],
      [{ from: "src/cloud/index.ts", to: "src/cloud/cloudcontrol/index.ts" }, false],
      [{ from: "src/serve/credentials.ts", to: "src/cli/errors.ts" }, true],
      [{ from: "src/cli/serve.ts", to: "src/cli/errors.ts" }, false],
      [{ from: "src/normalize/phone.ts", to: "src/synth/random.ts" }, true],
      [{ from: "src/normalize/ascii-bytes.test.ts", to: "src/synth/random.ts" }, true],
      [{ from: "src/serve/app.ts", to: "test/support/signed-requests.ts" }, true],
      [{ from: "src/serve/app.test.ts", to: "test/support/signed-requests.ts" }, false],
      [{ from: "src/iac/app.ts", to: "src/iac/app.test.ts" }, true],
    ];
    for (const [edge, broken] of cases) {
      assert.equal(violations([edge]).length > 0, broken, `${edge.from} -> ${edge.to}`);
    }
  });
});
