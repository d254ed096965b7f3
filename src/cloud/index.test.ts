import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { AwsError, LocalCloud, StoreInUseError } from "./index.ts";
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type RequestContext } from "./service.ts";

const ctx: RequestContext = { accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION, requestId: "test" };

test("LocalCloud: services by signing name, deps over the same state, exclusive home, state kept across reopen", async () => {
  const home = mkdtempSync(join(tmpdir(), "idbridge-cloud-"));
  try {
    let cloud = await LocalCloud.open({ home });
    assert.deepEqual(Object.keys(cloud.services).sort(), [
      "cleanrooms",
      "cloudcontrolapi",
      "entityresolution",
      "glue",
      "iam",
      "s3",
    ]);
    assert.equal(cloud.amc.signingName, "amc");
    assert.equal(cloud.deps.accountId, LOCAL_ACCOUNT_ID);
    await assert.rejects(LocalCloud.open({ home }), StoreInUseError);

    const { s3, glue, iam } = cloud.services as Required<typeof cloud.services>;
    await s3!.operations.CreateBucket!({ Bucket: "crm-data" }, ctx);
    await s3!.operations.PutObject!(
      { Bucket: "crm-data", Key: "customers/part-0.parquet", Body: "PAR1" },
      ctx,
    );
    await glue!.operations.CreateDatabase!({ DatabaseInput: { Name: "crm" } }, ctx);
    await glue!.operations.CreateTable!(
      {
        DatabaseName: "crm",
        TableInput: { Name: "customers", StorageDescriptor: { Location: "s3://crm-data/customers/" } },
      },
      ctx,
    );
    await iam!.operations.CreateRole!(
      {
        RoleName: "er",
        AssumeRolePolicyDocument: JSON.stringify({
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "entityresolution.amazonaws.com" },
              Action: "sts:AssumeRole",
            },
          ],
        }),
      },
      ctx,
    );
    const table = await cloud.deps.glue.getTable("crm", "customers");
    assert.equal(table.StorageDescriptor?.Location, "s3://crm-data/customers/");
    assert.equal((await cloud.deps.s3.listObjectFiles(table.StorageDescriptor!.Location!)).length, 1);
    await assert.rejects(
      cloud.deps.iam.assertRoleAllows(
        "arn:aws:iam::000000000000:role/er",
        "entityresolution.amazonaws.com",
        ["glue:GetTable"],
        ["arn:aws:glue:us-east-1:000000000000:table/crm/customers"],
      ),
      (error: unknown) =>
        error instanceof AwsError &&
        error.code === "AccessDeniedException" &&
        /glue:GetTable/.test(error.message),
    );
    await cloud.close();

    cloud = await LocalCloud.open({ home });
    try {
      assert.equal((await cloud.deps.glue.getTable("crm", "customers")).Name, "customers");
      const got = await cloud.services.s3!.operations.HeadObject!(
        { Bucket: "crm-data", Key: "customers/part-0.parquet" },
        ctx,
      );
      assert.equal(got.ContentLength, 4);
    } finally {
      await cloud.close();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
