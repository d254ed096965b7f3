/**
 * The AMC identity route (Amazon Ads guide "Bring identity data into the collaboration instance",
 * steps 1–5) as code, over the tables `idbridge prepare` wrote to "../prepared/".
 *
 *   idbridge plan stack.ts                     what up would change, property by property
 *   idbridge up stack.ts                       apply on the local cloud (default backend)
 *   idbridge up stack.ts --backend aws         the same on AWS (us-east-1; AWS_ACCOUNT_ID and
 *                                              AMC_MEMBERSHIP_ID set, standard AWS credentials)
 *   idbridge drift stack.ts                    compare the last apply with what is live
 *   idbridge destroy stack.ts                  delete everything this stack created
 *
 * Resources take CloudFormation's property names, as alchemy/aws/control's do: to run this with
 * Alchemy, import AWS from "alchemy/aws/control" and open the app with alchemy() instead.
 */
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { amcMembershipId, idbridge, readPrepared } from "idbridge";
import AWS from "idbridge/aws/control";

// The stage: --stage, else IDBRIDGE_STAGE, else "dev".
const app = await idbridge.app("amc-identity");
// The AMC identity route runs in us-east-1 only.
const region = app.region;
if (region !== "us-east-1") throw new Error(`AMC's identity route runs in us-east-1 only, not ${region}: set AWS_REGION=us-east-1`);
const account = app.accountId;
// IDBRIDGE_PREPARED points the stack at another prepared directory.
const tables = readPrepared(
  process.env.IDBRIDGE_PREPARED ?? fileURLToPath(new URL("../prepared/", import.meta.url)),
);

// Step 1 — the bucket for the prepared files, each table's Parquet file under s3://<bucket>/<table>/
// (sent again only when it changed). Query results must go to a different bucket than this one.
const bucket = await AWS.S3.Bucket("identity-bucket", {
  BucketName: `amc-identity-${account}-${app.stage}`,
});
for (const table of tables) {
  await app.uploadFile({ Bucket: bucket.BucketName, Key: `${table.name}/${basename(table.parquetPath)}`, file: table.parquetPath });
}

// Step 2 — a Glue database, and one table per prepared file (lowercase columns, all strings).
const database = await AWS.Glue.Database("identity-database", {
  CatalogId: account,
  DatabaseInput: { Name: `amc_identity_${app.stage}`.replace(/[^a-z0-9_]/g, "_") },
});
const databaseName = database.DatabaseInput.Name!;
for (const table of tables) {
  await AWS.Glue.Table(`${table.name}-table`, {
    CatalogId: account,
    DatabaseName: databaseName,
    TableInput: {
      ...table.glue.TableInput,
      StorageDescriptor: {
        ...table.glue.TableInput.StorageDescriptor,
        Location: `s3://${bucket.BucketName}/${table.name}/`,
      },
    },
  });
}

// The SOURCE ID namespace pass role: Entity Resolution may assume it, and read the bucket and the
// Glue tables (the guide's trust policy and role permissions).
const role = await AWS.IAM.Role("source-namespace-role", {
  RoleName: `amc-identity-source-${app.stage}`,
  AssumeRolePolicyDocument: {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "TargetAssumeRolePolicy",
        Effect: "Allow",
        Principal: { Service: ["entityresolution.amazonaws.com"] },
        Action: "sts:AssumeRole",
      },
    ],
  },
  Policies: [
    {
      PolicyName: "source-namespace-read",
      PolicyDocument: {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "S3InputPermissions",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"],
            Resource: [`arn:aws:s3:::${bucket.BucketName}`, `arn:aws:s3:::${bucket.BucketName}/*`],
            Condition: { StringEquals: { "s3:ResourceAccount": [account] } },
          },
          {
            Sid: "GluePermissions",
            Effect: "Allow",
            Action: [
              "glue:GetDatabase",
              "glue:GetTable",
              "glue:GetPartition",
              "glue:GetPartitions",
              "glue:GetSchema",
              "glue:GetSchemaVersion",
              "glue:BatchGetPartition",
            ],
            Resource: [
              `arn:aws:glue:${region}:${account}:database/${databaseName}`,
              `arn:aws:glue:${region}:${account}:table/${databaseName}/*`,
              `arn:aws:glue:${region}:${account}:catalog`,
            ],
          },
        ],
      },
    },
  ],
});

// Step 3 — one schema mapping per table (UNIQUE_ID + identity fields, hashed flags as prepared).
const mappings = [];
for (const table of tables) {
  mappings.push(await AWS.EntityResolution.SchemaMapping(`${table.name}-schema-mapping`, table.schemaMapping));
}

// Step 4 — the SOURCE ID namespace over the tables (at most 20), rule-based against Amazon's TARGET.
const namespace = await AWS.EntityResolution.IdNamespace("source-namespace", {
  IdNamespaceName: `amc-identity-source-${app.stage}`,
  Description: "Advertiser owner SOURCE Id Namespace",
  Type: "SOURCE",
  InputSourceConfig: tables.map((table, i) => ({
    InputSourceARN: `arn:aws:glue:${region}:${account}:table/${databaseName}/${table.glue.TableInput.Name}`,
    SchemaName: mappings[i]!.SchemaName,
  })),
  IdMappingWorkflowProperties: [{ IdMappingType: "RULE_BASED", RuleBasedProperties: { RuleDefinitionTypes: ["TARGET"] } }],
  RoleArn: role.Arn,
});

// Step 5 — associate the namespace with your AMC collaboration membership (at most 10 per membership).
const association = await AWS.CleanRooms.IdNamespaceAssociation("source-association", {
  MembershipIdentifier: await amcMembershipId(app),
  Name: `amc-identity-source-${app.stage}`,
  Description: "SOURCE namespace for AMC ID mapping",
  InputReferenceConfig: { InputReferenceArn: namespace.IdNamespaceArn, ManageResourcePolicies: true },
});

const result = await app.finalize();
if (result.phase === "up") {
  app.log(`namespace ${namespace.IdNamespaceArn} is associated (${association.IdNamespaceAssociationIdentifier}).`);
  app.log("Next: create the ID mapping table through the AMC API:");
  app.log(`  idbridge amc tables create --name ${tables[0]!.name} --namespace-arn ${namespace.IdNamespaceArn} --wait`);
}
