import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AmcClient } from "./client.ts";
import { credentialsFromEnv } from "./connect.ts";
import { AmcConfigError, hintFor } from "./errors.ts";

describe("AMC limits in plain words", () => {
  it("explains the 5-table limit on create", () => {
    assert.match(
      hintFor(402, "ServiceQuotaExceededException", "quota exceeded", "createTable")!,
      /at most 5 ID mapping tables/,
    );
    assert.match(
      hintFor(400, "BAD_REQUEST", "Instance already has 5 ID mapping tables (limit)", "createTable")!,
      /at most 5/,
    );
  });
  it("explains the 14-day refresh window", () => {
    assert.match(
      hintFor(409, "CONFLICT", "table was refreshed less than 14 days ago", "refreshTable")!,
      /once every 14 days/,
    );
    assert.match(hintFor(429, "TOO_MANY_REQUESTS", "", "refreshTable")!, /14 days/);
  });
  it("explains us-east-1 only", () => {
    assert.match(
      hintFor(400, "BAD_REQUEST", "resources must be in region us-east-1", "createTable")!,
      /us-east-1 only/,
    );
  });
  it("points at credentials on 401/403 and at ids on 404", () => {
    assert.match(hintFor(401, "UNAUTHORIZED", "", "listTables")!, /access token/);
    assert.match(hintFor(404, "NOT_FOUND", "", "getTable")!, /tables list/);
  });
});

describe("real AMC credentials from the environment", () => {
  it("names every missing variable, never a value", () => {
    assert.throws(
      () => credentialsFromEnv({ AMC_ACCESS_TOKEN: "Atza|secret-token-value" }),
      (error: Error) => {
        assert.match(error.message, /AMC_CLIENT_ID, AMC_ACCOUNT_ID, AMC_INSTANCE_ID, AMC_MARKETPLACE_ID/);
        assert.ok(!error.message.includes("secret-token-value"));
        return true;
      },
    );
  });
  it("reads them all; --instance wins over AMC_INSTANCE_ID", () => {
    const env = {
      AMC_ACCESS_TOKEN: "t",
      AMC_CLIENT_ID: "c",
      AMC_ACCOUNT_ID: "a",
      AMC_MARKETPLACE_ID: "ATVPDKIKX0DER",
      AMC_INSTANCE_ID: "amcenv",
    };
    assert.deepEqual(credentialsFromEnv(env, "amcflag"), {
      accessToken: "t",
      clientId: "c",
      accountId: "a",
      instanceId: "amcflag",
      marketplaceId: "ATVPDKIKX0DER",
    });
  });
  it("a client for real AMC without a marketplace id is a clear error naming AMC_MARKETPLACE_ID", () => {
    const credentials = { accessToken: "Atza|secret", clientId: "c", accountId: "a", instanceId: "amcx" };
    for (const marketplaceId of [undefined, ""]) {
      assert.throws(
        () =>
          new AmcClient({
            endpoint: "https://advertising-api.amazon.com",
            ...credentials,
            ...(marketplaceId === undefined ? {} : { marketplaceId }),
          }),
        (error: unknown) => {
          assert.ok(error instanceof AmcConfigError);
          assert.match(error.message, /marketplace id/);
          assert.match(error.hint, /AMC_MARKETPLACE_ID/);
          assert.ok(!error.message.includes("secret"));
          return true;
        },
      );
    }
  });
});
