import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { rejectsWith } from "../../../test/support/aws-error-assertions.ts";
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type RequestContext } from "../service.ts";
import { openStore } from "../store/index.ts";
import { createGlue, type Glue } from "./index.ts";

const ctx: RequestContext = { accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION, requestId: "test" };

async function withGlue(fn: (glue: Glue) => Promise<void>): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), "idbridge-glue-"));
  const store = await openStore(home);
  try {
    await fn(createGlue(store));
  } finally {
    await store.close();
    rmSync(home, { recursive: true, force: true });
  }
}

const columns = (n: number) => Array.from({ length: n }, (_, i) => ({ Name: `c${i}`, Type: "string" }));

test("databases: create (name folded to lowercase), get, list with paging, update, delete with its tables", async () => {
  await withGlue(async ({ service: { operations: glue } }) => {
    await glue.CreateDatabase!({ DatabaseInput: { Name: "IdBridge", Description: "crm" } }, ctx);
    await rejectsWith(glue.CreateDatabase!({ DatabaseInput: { Name: "idbridge" } }, ctx), {
      code: "AlreadyExistsException",
      status: 400,
    });
    await rejectsWith(glue.CreateDatabase!({ DatabaseInput: { Name: "" } }, ctx), {
      code: "InvalidInputException",
      status: 400,
      message: /DatabaseInput\.Name/,
    });
    await rejectsWith(glue.CreateDatabase!({ DatabaseInput: { Name: "x", Bogus: 1 } }, ctx), {
      code: "InvalidInputException",
      status: 400,
      message: /DatabaseInput/,
    });
    const { Database } = await glue.GetDatabase!({ Name: "IDBRIDGE" }, ctx);
    assert.equal(Database.Name, "idbridge");
    assert.equal(Database.Description, "crm");
    assert.equal(Database.CatalogId, LOCAL_ACCOUNT_ID);
    assert.ok(Database.CreateTime instanceof Date);
    await rejectsWith(glue.GetDatabase!({ Name: "nope" }, ctx), {
      code: "EntityNotFoundException",
      status: 400,
      message: /Database nope not found/,
    });

    for (const n of ["db2", "db3"]) await glue.CreateDatabase!({ DatabaseInput: { Name: n } }, ctx);
    const first = await glue.GetDatabases!({ MaxResults: 2 }, ctx);
    assert.deepEqual(
      first.DatabaseList.map((d: { Name: string }) => d.Name),
      ["db2", "db3"],
    );
    const second = await glue.GetDatabases!({ MaxResults: 2, NextToken: first.NextToken }, ctx);
    assert.deepEqual(
      second.DatabaseList.map((d: { Name: string }) => d.Name),
      ["idbridge"],
    );
    assert.equal(second.NextToken, undefined);

    await glue.UpdateDatabase!(
      { Name: "idbridge", DatabaseInput: { Name: "idbridge", Description: "v2" } },
      ctx,
    );
    assert.equal((await glue.GetDatabase!({ Name: "idbridge" }, ctx)).Database.Description, "v2");
    await rejectsWith(glue.UpdateDatabase!({ Name: "nope", DatabaseInput: { Name: "nope" } }, ctx), {
      code: "EntityNotFoundException",
      status: 400,
    });

    await glue.CreateTable!({ DatabaseName: "idbridge", TableInput: { Name: "t1" } }, ctx);
    await glue.DeleteDatabase!({ Name: "idbridge" }, ctx);
    await rejectsWith(glue.GetDatabase!({ Name: "idbridge" }, ctx), {
      code: "EntityNotFoundException",
      status: 400,
    });
    await glue.CreateDatabase!({ DatabaseInput: { Name: "idbridge" } }, ctx);
    await rejectsWith(glue.GetTable!({ DatabaseName: "idbridge", Name: "t1" }, ctx), {
      code: "EntityNotFoundException",
      status: 400,
      message: /Table t1/,
    });
    await rejectsWith(glue.GetDatabase!({ Name: "db2", CatalogId: "123456789012" }, ctx), {
      code: "EntityNotFoundException",
      status: 400,
    });
  });
});

test("tables: create with storage descriptor, get, list with expression, update bumps version, delete, errors", async () => {
  await withGlue(async (glue) => {
    const ops = glue.service.operations;
    await ops.CreateDatabase!({ DatabaseInput: { Name: "crm" } }, ctx);
    const TableInput = {
      Name: "Customers",
      TableType: "EXTERNAL_TABLE",
      Parameters: { classification: "parquet" },
      StorageDescriptor: {
        Location: "s3://bucket/customers/",
        Columns: columns(3),
        InputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
        SerdeInfo: { SerializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" },
      },
    };
    await ops.CreateTable!({ DatabaseName: "crm", TableInput }, ctx);
    await rejectsWith(ops.CreateTable!({ DatabaseName: "crm", TableInput }, ctx), {
      code: "AlreadyExistsException",
      status: 400,
    });
    await rejectsWith(ops.CreateTable!({ DatabaseName: "nope", TableInput }, ctx), {
      code: "EntityNotFoundException",
      status: 400,
    });
    await rejectsWith(
      ops.CreateTable!(
        {
          DatabaseName: "crm",
          TableInput: { Name: "bad", StorageDescriptor: { Columns: [{ Name: "", Type: "string" }] } },
        },
        ctx,
      ),
      {
        code: "InvalidInputException",
        status: 400,
        message: /TableInput\.StorageDescriptor\.Columns\[0\]\.Name/,
      },
    );
    const { Table } = await ops.GetTable!({ DatabaseName: "CRM", Name: "customers" }, ctx);
    assert.equal(Table.Name, "customers");
    assert.equal(Table.DatabaseName, "crm");
    assert.equal(Table.StorageDescriptor.Location, "s3://bucket/customers/");
    assert.equal(Table.StorageDescriptor.Columns.length, 3);
    assert.equal(Table.VersionId, "0");
    assert.deepEqual(await glue.getTable("crm", "customers"), Table);

    await ops.CreateTable!({ DatabaseName: "crm", TableInput: { Name: "orders" } }, ctx);
    const matching = await ops.GetTables!({ DatabaseName: "crm", Expression: "cust*" }, ctx);
    assert.deepEqual(
      matching.TableList.map((t: { Name: string }) => t.Name),
      ["customers"],
    );
    const paged = await ops.GetTables!({ DatabaseName: "crm", MaxResults: 1 }, ctx);
    assert.equal(paged.TableList.length, 1);
    assert.ok(paged.NextToken);

    await ops.UpdateTable!(
      {
        DatabaseName: "crm",
        TableInput: {
          ...TableInput,
          StorageDescriptor: { ...TableInput.StorageDescriptor, Columns: columns(5) },
        },
      },
      ctx,
    );
    const updated = (await ops.GetTable!({ DatabaseName: "crm", Name: "customers" }, ctx)).Table;
    assert.equal(updated.StorageDescriptor.Columns.length, 5);
    assert.equal(updated.VersionId, "1");
    assert.deepEqual(updated.CreateTime, Table.CreateTime);
    await rejectsWith(ops.UpdateTable!({ DatabaseName: "crm", TableInput: { Name: "ghost" } }, ctx), {
      code: "EntityNotFoundException",
      status: 400,
    });

    await ops.DeleteTable!({ DatabaseName: "crm", Name: "customers" }, ctx);
    await rejectsWith(ops.DeleteTable!({ DatabaseName: "crm", Name: "customers" }, ctx), {
      code: "EntityNotFoundException",
      status: 400,
    });
    await rejectsWith(glue.getTable("crm", "customers"), { code: "EntityNotFoundException", status: 400 });
  });
});
