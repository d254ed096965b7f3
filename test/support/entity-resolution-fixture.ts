/**
 * Test fixtures for the Entity Resolution, Clean Rooms and AMC tests: a real LocalCloud in a temp
 * home, a tiny synthetic graph + CRM (synth) uploaded to its S3 and catalogued in its Glue, and
 * IAM roles with and without ER's trust.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalCloud } from "../../src/cloud/index.ts";
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type RequestContext } from "../../src/cloud/service.ts";
import { crmSchema, graphSchema, type SynthResult, synth } from "../../src/synth/index.ts";

export const ctx: RequestContext = { accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION, requestId: "test" };
export const ROLE_ARN = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/er-reader`;
export const UNTRUSTED_ROLE_ARN = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/no-trust`;
export const CRM_TABLE_ARN = `arn:aws:glue:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:table/crm/customers`;
export const GRAPH_TABLE_ARN = `arn:aws:glue:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:table/crm/graph`;

const trust = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { Service: "entityresolution.amazonaws.com" }, Action: "sts:AssumeRole" },
  ],
});
const readPolicy = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:PutObject"],
      Resource: ["arn:aws:s3:::crm-data", "arn:aws:s3:::crm-data/*"],
    },
    {
      Effect: "Allow",
      Action: ["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"],
      Resource: [
        `arn:aws:glue:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:catalog`,
        `arn:aws:glue:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:database/crm`,
        `arn:aws:glue:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:table/crm/*`,
      ],
    },
  ],
});

export interface Fixture {
  home: string;
  dataDir: string;
  cloud: LocalCloud;
  synthetic: SynthResult;
  reopen(): Promise<LocalCloud>;
  cleanup(): Promise<void>;
}

/** A LocalCloud with the CRM (raw CSV) and the graph (hashed Parquet) of a small synth run in S3 + Glue. */
export async function openFixture(
  options: { people?: number; crm?: number; seed?: number } = {},
): Promise<Fixture> {
  const home = mkdtempSync(join(tmpdir(), "idbridge-er-"));
  const dataDir = mkdtempSync(join(tmpdir(), "idbridge-er-data-"));
  const synthetic = await synth({
    outDir: dataDir,
    people: options.people ?? 300,
    crm: options.crm ?? 80,
    seed: options.seed ?? 7,
  });
  const fixture: Fixture = {
    home,
    dataDir,
    synthetic,
    cloud: await LocalCloud.open({ home }),
    async reopen() {
      await fixture.cloud.close();
      fixture.cloud = await LocalCloud.open({ home });
      return fixture.cloud;
    },
    async cleanup() {
      await fixture.cloud.close();
      rmSync(home, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const { s3, glue, iam } = fixture.cloud.services;
  await s3!.operations.CreateBucket!({ Bucket: "crm-data" }, ctx);
  await fixture.cloud.deps.s3.putObjectFromFile("s3://crm-data/customers/crm.csv", synthetic.crmPath);
  await fixture.cloud.deps.s3.putObjectFromFile("s3://crm-data/graph/graph.parquet", synthetic.targetFile);
  await glue!.operations.CreateDatabase!({ DatabaseInput: { Name: "crm" } }, ctx);
  for (const [name, schema] of [
    ["customers", crmSchema()],
    ["graph", graphSchema()],
  ] as const) {
    await glue!.operations.CreateTable!(
      {
        DatabaseName: "crm",
        TableInput: {
          Name: name,
          StorageDescriptor: {
            Location: `s3://crm-data/${name}/`,
            Columns: schema.mappedInputFields.map((field) => ({ Name: field.fieldName, Type: "string" })),
          },
        },
      },
      ctx,
    );
  }
  await iam!.operations.CreateRole!({ RoleName: "er-reader", AssumeRolePolicyDocument: trust }, ctx);
  await iam!.operations.PutRolePolicy!(
    { RoleName: "er-reader", PolicyName: "read", PolicyDocument: readPolicy },
    ctx,
  );
  const noTrust = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "glue.amazonaws.com" }, Action: "sts:AssumeRole" }],
  });
  await iam!.operations.CreateRole!({ RoleName: "no-trust", AssumeRolePolicyDocument: noTrust }, ctx);
  await iam!.operations.PutRolePolicy!(
    { RoleName: "no-trust", PolicyName: "read", PolicyDocument: readPolicy },
    ctx,
  );
  return fixture;
}

/** The CRM's and the graph's schema mappings, a SOURCE and a TARGET namespace over them (TARGET holds the rules). */
export async function createNamespaces(cloud: LocalCloud, suffix = "") {
  const er = cloud.services.entityresolution!.operations;
  const crm = crmSchema();
  const graph = graphSchema();
  await er.CreateSchemaMapping!({ ...crm, schemaName: `crm${suffix}` }, ctx).catch(ignoreConflict);
  await er.CreateSchemaMapping!({ ...graph, schemaName: `graph${suffix}` }, ctx).catch(ignoreConflict);
  const source = await er.CreateIdNamespace!(
    {
      idNamespaceName: `crm-source${suffix}`,
      type: "SOURCE",
      inputSourceConfig: [{ inputSourceARN: CRM_TABLE_ARN, schemaName: `crm${suffix}` }],
      idMappingWorkflowProperties: [
        { idMappingType: "RULE_BASED", ruleBasedProperties: { ruleDefinitionTypes: ["TARGET"] } },
      ],
      roleArn: ROLE_ARN,
    },
    ctx,
  );
  const target = await er.CreateIdNamespace!(
    {
      idNamespaceName: `graph-target${suffix}`,
      type: "TARGET",
      inputSourceConfig: [{ inputSourceARN: GRAPH_TABLE_ARN, schemaName: `graph${suffix}` }],
      idMappingWorkflowProperties: [
        {
          idMappingType: "RULE_BASED",
          ruleBasedProperties: {
            rules: [
              { ruleName: "email", matchingKeys: ["Email"] },
              {
                ruleName: "name_address_postal",
                matchingKeys: ["FirstName", "LastName", "Address", "Postal"],
              },
            ],
            ruleDefinitionTypes: ["TARGET"],
            attributeMatchingModel: "MANY_TO_MANY",
            recordMatchingModels: ["MANY_SOURCE_TO_ONE_TARGET"],
          },
        },
      ],
      roleArn: ROLE_ARN,
    },
    ctx,
  );
  return { sourceArn: source["idNamespaceArn"] as string, targetArn: target["idNamespaceArn"] as string };
}

/** The workflow input that maps the SOURCE namespace to the TARGET one with the TARGET's rules. */
export const workflowInput = (name: string, sourceArn: string, targetArn: string) => ({
  workflowName: name,
  inputSourceConfig: [
    { inputSourceARN: sourceArn, type: "SOURCE" },
    { inputSourceARN: targetArn, type: "TARGET" },
  ],
  idMappingTechniques: {
    idMappingType: "RULE_BASED",
    ruleBasedProperties: {
      ruleDefinitionType: "TARGET",
      attributeMatchingModel: "MANY_TO_MANY",
      recordMatchingModel: "MANY_SOURCE_TO_ONE_TARGET",
    },
  },
  roleArn: ROLE_ARN,
});

function ignoreConflict(error: unknown): void {
  if ((error as { code?: string }).code !== "ConflictException") throw error;
}
