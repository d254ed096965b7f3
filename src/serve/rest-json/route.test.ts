import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AwsError } from "../../cloud/aws-error.ts";
import { cleanRoomsRoutes } from "../models/cleanrooms.ts";
import { entityResolutionRoutes } from "../models/entityresolution.ts";
import { RestRouter } from "./route.ts";

const refuse = () => new AwsError("ValidationException", "bad escape", 400);

describe("REST-JSON routing tables", () => {
  for (const [service, routes] of [
    ["entityresolution", entityResolutionRoutes],
    ["cleanrooms", cleanRoomsRoutes],
  ] as const) {
    it(`${service}: every operation's URI template routes back to that operation, labels decoded`, () => {
      const router = new RestRouter(routes);
      for (const route of routes) {
        // A label value with characters that must be escaped, as an ARN label is sent.
        const path = route.uri.replace(/\{([^}]+)\}/g, (_, label: string) =>
          encodeURIComponent(`arn:aws:x:us-east-1:000000000000:${label}/v 1`),
        );
        const match = router.match(route.method, path, refuse);
        assert.equal(match?.route.operation, route.operation, `${route.method} ${route.uri}`);
        for (const [label, member] of Object.entries(route.labels ?? {})) {
          assert.equal(match?.labels[member], `arn:aws:x:us-east-1:000000000000:${label}/v 1`);
        }
      }
    });
  }

  it("prefers literal segments over labels and tells a wrong method from an unknown path", () => {
    const router = new RestRouter([
      { operation: "GetThing", method: "GET", uri: "/things/{id}", status: 200, labels: { id: "id" } },
      { operation: "ListThingJobs", method: "GET", uri: "/things/jobs", status: 200 },
    ]);
    assert.equal(router.match("GET", "/things/jobs", refuse)?.route.operation, "ListThingJobs");
    assert.equal(router.match("GET", "/things/t1", refuse)?.route.operation, "GetThing");
    assert.equal(router.match("DELETE", "/things/t1", refuse), undefined);
    assert.ok(router.hasPath("/things/t1"));
    assert.ok(!router.hasPath("/nothing/here"));
  });

  it("refuses a label with broken percent-encoding with the protocol's error instead of failing", () => {
    const router = new RestRouter([
      { operation: "GetThing", method: "GET", uri: "/things/{id}", status: 200, labels: { id: "id" } },
    ]);
    assert.throws(() => router.match("GET", "/things/%E0%A4%A", refuse), /bad escape/);
    assert.equal(router.match("GET", "/things/a%20b", refuse)?.labels.id, "a b");
  });
});
