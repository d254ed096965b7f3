import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { LOCAL_AMC, loadAmazonGraph } from "../cloud/amc/index.ts";
import { LocalCloud } from "../cloud/index.ts";
import AWS from "../iac/aws/control.ts";
import { amcMembershipId, idbridge, readPrepared } from "../iac/index.ts";
import { prepare } from "../prepare/index.ts";
import { startServer } from "../serve/index.ts";
import { synth } from "../synth/index.ts";
import { AmcApiError, AmcClient, connectAmc } from "./index.ts";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const run = promisify(execFile);

const TRUST = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { Service: "entityresolution.amazonaws.com" }, Action: "sts:AssumeRole" },
  ],
};

describe("AMC API client against idbridge serve", () => {
  const dir = mkdtempSync(join(tmpdir(), "idbridge-amc-"));
  const home = join(dir, "cloud");
  let cloud: LocalCloud;
  let server: Awaited<ReturnType<typeof startServer>>;
  let client: AmcClient;
  const namespaces: string[] = [];

  before(async () => {
    const data = await synth({ outDir: join(dir, "synth"), people: 300, crm: 60, seed: 11 });
    const prepared = await prepare({ input: data.crmPath, outDir: join(dir, "prepared"), tableName: "crm" });
    cloud = await LocalCloud.open({ home });
    server = await startServer({ cloud, home, port: 0 });
    await loadAmazonGraph(cloud.deps, { targetFile: data.targetFile, people: 300, seed: 11 });
    // Infrastructure through iac: one Glue table, and six SOURCE namespaces over it (AMC allows 5 tables).
    const app = await idbridge.app("amc-client-test", { home, cloud, log: () => {} });
    const [table] = readPrepared(join(dir, "prepared"));
    const bucket = await AWS.S3.Bucket("bucket", { BucketName: "amc-client-test" });
    await AWS.Glue.Database("db", { CatalogId: app.accountId, DatabaseInput: { Name: "amc_client_test" } });
    await AWS.Glue.Table("table", {
      CatalogId: app.accountId,
      DatabaseName: "amc_client_test",
      TableInput: {
        ...table!.glue.TableInput,
        StorageDescriptor: {
          ...table!.glue.TableInput.StorageDescriptor,
          Location: `s3://${bucket.BucketName}/crm/`,
        },
      },
    });
    const role = await AWS.IAM.Role("role", {
      RoleName: "amc-client-test",
      AssumeRolePolicyDocument: TRUST,
      Policies: [
        {
          PolicyName: "read",
          PolicyDocument: {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: ["s3:*", "glue:*"], Resource: "*" }],
          },
        },
      ],
    });
    const mapping = await AWS.EntityResolution.SchemaMapping("mapping", table!.schemaMapping);
    const membership = await amcMembershipId(app);
    for (let i = 1; i <= 6; i++) {
      const namespace = await AWS.EntityResolution.IdNamespace(`namespace-${i}`, {
        IdNamespaceName: `crm-source-${i}`,
        Type: "SOURCE",
        InputSourceConfig: [
          {
            InputSourceARN: `arn:aws:glue:us-east-1:${app.accountId}:table/amc_client_test/${table!.glue.TableInput.Name}`,
            SchemaName: mapping.SchemaName,
          },
        ],
        IdMappingWorkflowProperties: [
          { IdMappingType: "RULE_BASED", RuleBasedProperties: { RuleDefinitionTypes: ["TARGET"] } },
        ],
        RoleArn: role.Arn,
      });
      await AWS.CleanRooms.IdNamespaceAssociation(`association-${i}`, {
        MembershipIdentifier: membership,
        Name: `crm-source-${i}`,
        InputReferenceConfig: { InputReferenceArn: namespace.IdNamespaceArn, ManageResourcePolicies: true },
      });
      namespaces.push(namespace.IdNamespaceArn);
    }
    await app.finalize();
    const s3 = new S3Client({
      endpoint: server.url,
      region: server.credentials.region,
      forcePathStyle: true,
      credentials: {
        accessKeyId: server.credentials.accessKeyId,
        secretAccessKey: server.credentials.secretAccessKey,
      },
    });
    await s3.send(
      new PutObjectCommand({
        Bucket: "amc-client-test",
        Key: `crm/${basename(table!.parquetPath)}`,
        Body: await readFile(table!.parquetPath),
      }),
    );
    s3.destroy();
    client = new AmcClient({ endpoint: server.url, accessToken: server.amcToken, ...LOCAL_AMC });
    assert.equal(prepared.tables.length, 1);
  });

  after(async () => {
    await server?.close();
    await cloud?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads the collaboration and the namespaces not yet used by a table", async () => {
    const collaboration = await client.getCollaboration();
    assert.equal(collaboration.name, LOCAL_AMC.collaborationName);
    const listed = await client.listNamespaces();
    assert.deepEqual(listed.map((n) => n.idNamespaceArn).sort(), [...namespaces].sort());
  });

  it("creates a table, follows its job to SUCCEEDED, and gets, lists and deletes it", {
    timeout: 60_000,
  }, async () => {
    const created = await client.createTable({
      idMappingTableName: "crm_mapping_1",
      sourceIdNamespaceArn: namespaces[0]!,
    });
    assert.match(created.idMappingWorkflowJobId, /^[0-9a-f]{32}$/);
    const seen: string[] = [];
    const job = await client.waitForJob(created.idMappingTable.id, created.idMappingWorkflowJobId, {
      initialDelayMs: 20,
      onProgress: (j) => seen.push(j.status),
    });
    assert.equal(job.status, "SUCCEEDED");
    assert.ok(seen.length >= 1 && seen.at(-1) === "SUCCEEDED");
    assert.ok((job.metrics?.totalMappedSourceRecords ?? 0) > 0, "records were mapped");
    const table = await client.getTable(created.idMappingTable.id);
    assert.equal(table.name, "crm_mapping_1");
    assert.equal(table.queryable, true);
    assert.deepEqual(
      (await client.listTables()).map((t) => t.id),
      [created.idMappingTable.id],
    );
    assert.ok(
      !(await client.listNamespaces()).some((n) => n.idNamespaceArn === namespaces[0]),
      "the namespace is now taken",
    );

    await assert.rejects(client.refreshTable(created.idMappingTable.id), (error: unknown) => {
      assert.ok(error instanceof AmcApiError);
      assert.match(error.message, /14 days/);
      assert.match(error.hint ?? "", /at most once every 14 days/);
      return true;
    });
    await client.deleteTable(created.idMappingTable.id);
    assert.deepEqual(await client.listTables(), []);
    await assert.rejects(
      client.getTable(created.idMappingTable.id),
      (error: unknown) => error instanceof AmcApiError && error.status === 404,
    );
  });

  it("explains the 5-table limit", { timeout: 60_000 }, async () => {
    // The first table was deleted, freeing its namespace: five more tables fill the instance.
    for (let i = 2; i <= 6; i++) {
      await client.createTable({
        idMappingTableName: `crm_mapping_${i}`,
        sourceIdNamespaceArn: namespaces[i - 1]!,
      });
    }
    await assert.rejects(
      client.createTable({ idMappingTableName: "crm_mapping_7", sourceIdNamespaceArn: namespaces[0]! }),
      (error: unknown) => {
        assert.ok(error instanceof AmcApiError);
        assert.match(error.message, /5 ID mapping tables/);
        assert.match(error.hint ?? "", /at most 5 ID mapping tables/);
        return true;
      },
    );
    assert.equal((await client.listTables()).length, 5);
  });

  it("rejects a wrong token with a hint about credentials, and never echoes it", async () => {
    const wrong = new AmcClient({
      endpoint: server.url,
      ...LOCAL_AMC,
      accessToken: "Atza|not-the-token-0123456789",
    });
    await assert.rejects(wrong.listTables(), (error: unknown) => {
      assert.ok(error instanceof AmcApiError);
      assert.ok(error.status === 401 || error.status === 403);
      assert.match(error.hint ?? "", /access token/);
      assert.ok(!error.message.includes("not-the-token"));
      return true;
    });
  });

  it("sends the local cloud's marketplace id when none is configured (serve requires the header)", async () => {
    const { marketplaceId: _configured, ...withoutMarketplace } = LOCAL_AMC;
    for (const marketplaceId of [undefined, ""]) {
      const local = new AmcClient({
        endpoint: server.url,
        accessToken: server.amcToken,
        ...withoutMarketplace,
        ...(marketplaceId === undefined ? {} : { marketplaceId }),
      });
      assert.equal((await local.getCollaboration()).name, LOCAL_AMC.collaborationName);
    }
    const bare = await fetch(new URL(`/amc/instances/${LOCAL_AMC.instanceId}/collaboration`, server.url), {
      headers: {
        Authorization: `Bearer ${server.amcToken}`,
        "Amazon-Advertising-API-ClientId": LOCAL_AMC.clientId,
        "Amazon-Advertising-API-AdvertiserId": LOCAL_AMC.accountId,
      },
    });
    assert.equal(bare.status, 400, "serve refuses a call without Amazon-Advertising-API-MarketplaceId");
  });

  it("connectAmc finds the running serve through server.json", async () => {
    const connection = await connectAmc({ home });
    try {
      assert.equal(connection.target, "local");
      assert.equal((await connection.client.listTables()).length, 5);
    } finally {
      await connection.close();
    }
  });

  it("`idbridge amc` finds the running serve through IDBRIDGE_HOME, as `idbridge env` does", async () => {
    const cli = new URL("../../bin/idbridge.mjs", import.meta.url).pathname;
    const elsewhere = mkdtempSync(join(tmpdir(), "idbridge-amc-cwd-"));
    try {
      const { stdout } = await run(process.execPath, [cli, "amc", "tables", "list", "--json"], {
        cwd: elsewhere,
        env: { ...process.env, IDBRIDGE_HOME: home },
      });
      const tables = JSON.parse(stdout) as Array<{ id: string }>;
      assert.equal(
        tables.length,
        5,
        "the five tables of the serve at IDBRIDGE_HOME, not a fresh cloud in the cwd",
      );
      assert.deepEqual(readdirSync(elsewhere), [], "no .idbridge made in the working directory");
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
