import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { LocalCloud } from "../cloud/index.ts";
import { startServer } from "../serve/index.ts";
import { localPort } from "./backends/local.ts";

// The real `alchemy` package is never a dependency (≈200 packages). To run this test, install it
// somewhere and point ALCHEMY_DIR there:
//   mkdir /tmp/idbridge-alchemy && cd /tmp/idbridge-alchemy && npm init -y && npm i alchemy@0.94.0 --ignore-scripts
//   ALCHEMY_DIR=/tmp/idbridge-alchemy node --import tsx --test src/iac/alchemy-interop.test.ts
const alchemyDir = process.env.ALCHEMY_DIR ?? "/tmp/idbridge-alchemy";
const installed = existsSync(join(alchemyDir, "node_modules", "alchemy", "package.json"));

// The whole seed route as an Alchemy program, with the real shapes (the CloudFormation schemas in
// src/schemas/), unchanged but for pointing Cloud Control at `idbridge serve`: the bucket, the Glue
// database and tables, the ER pass role, schema mappings, the SOURCE and TARGET ID namespaces, the
// ID mapping workflow, and in Clean Rooms a collaboration, its membership, both namespaces'
// associations and the ID mapping table. DESCRIPTION is the Description of every resource that
// has one, but for the schema mappings the namespaces use: MAPPING_DESCRIPTION (see the test).
const PROGRAM = `
import alchemy from "alchemy";
import AWS from "alchemy/aws/control";
const phase = process.env.PHASE;
const description = process.env.DESCRIPTION;
const app = await alchemy("interop", { stage: "test", phase, quiet: true });
const account = "000000000000";
const region = "us-east-1";
const bucket = await AWS.S3.Bucket("bucket", { BucketName: "alchemy-interop" });
// Alchemy replaces a resource when an immutable property differs from GetResource's answer, and
// Glue's answer names the database: a program that leaves DatabaseName out would replace it on
// every update (on AWS too).
const database = await AWS.Glue.Database("database", {
  CatalogId: account,
  DatabaseName: "alchemy_interop",
  DatabaseInput: { Name: "alchemy_interop", Description: description },
});
const columns = ["id", "email", "phone"].map((Name) => ({ Name, Type: "string" }));
const tables = {};
for (const name of ["crm", "graph"]) {
  tables[name] = await AWS.Glue.Table(name + "-table", {
    CatalogId: account,
    DatabaseName: database.DatabaseInput.Name,
    TableInput: {
      Name: name,
      Description: description,
      TableType: "EXTERNAL_TABLE",
      Parameters: { classification: "csv" },
      StorageDescriptor: { Columns: columns, Location: "s3://" + bucket.BucketName + "/" + name + "/" },
    },
  });
}
const role = await AWS.IAM.Role("role", {
  RoleName: "alchemy-interop",
  // Alchemy compares its immutable properties with GetResource's answer, which has Path "/" by
  // default: leaving Path out would make every update a replacement (as it would on AWS).
  Path: "/",
  Description: description,
  AssumeRolePolicyDocument: {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: ["entityresolution.amazonaws.com"] }, Action: "sts:AssumeRole" }],
  },
  Policies: [{
    PolicyName: "read-inputs",
    PolicyDocument: {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"],
          Resource: ["arn:aws:s3:::" + bucket.BucketName, "arn:aws:s3:::" + bucket.BucketName + "/*"] },
        { Effect: "Allow", Action: ["glue:GetDatabase", "glue:GetTable", "glue:GetPartition", "glue:GetPartitions", "glue:GetSchema", "glue:GetSchemaVersion", "glue:BatchGetPartition"],
          Resource: ["arn:aws:glue:" + region + ":" + account + ":database/alchemy_interop",
                     "arn:aws:glue:" + region + ":" + account + ":table/alchemy_interop/*",
                     "arn:aws:glue:" + region + ":" + account + ":catalog"] },
      ],
    },
  }],
});
const fields = [
  { FieldName: "id", Type: "UNIQUE_ID" },
  { FieldName: "email", Type: "EMAIL_ADDRESS", MatchKey: "Email" },
  { FieldName: "phone", Type: "PHONE", MatchKey: "Phone" },
];
const mappings = {};
for (const name of ["crm", "graph", "spare"]) {
  mappings[name] = await AWS.EntityResolution.SchemaMapping(name + "-mapping", {
    SchemaName: "alchemy-interop-" + name,
    // The spare mapping is used by no ID namespace or workflow, so its Description can change.
    Description: name === "spare" ? description : process.env.MAPPING_DESCRIPTION,
    MappedInputFields: fields,
  });
}
const tableArn = (name) => "arn:aws:glue:" + region + ":" + account + ":table/alchemy_interop/" + tables[name].TableInput.Name;
const source = await AWS.EntityResolution.IdNamespace("source-namespace", {
  IdNamespaceName: "alchemy-interop-source",
  Description: description,
  Type: "SOURCE",
  InputSourceConfig: [{ InputSourceARN: tableArn("crm"), SchemaName: mappings.crm.SchemaName }],
  IdMappingWorkflowProperties: [{ IdMappingType: "RULE_BASED", RuleBasedProperties: { RuleDefinitionTypes: ["TARGET"] } }],
  RoleArn: role.Arn,
});
const target = await AWS.EntityResolution.IdNamespace("target-namespace", {
  IdNamespaceName: "alchemy-interop-target",
  Description: description,
  Type: "TARGET",
  InputSourceConfig: [{ InputSourceARN: tableArn("graph"), SchemaName: mappings.graph.SchemaName }],
  IdMappingWorkflowProperties: [{
    IdMappingType: "RULE_BASED",
    RuleBasedProperties: {
      Rules: [{ RuleName: "email", MatchingKeys: ["Email"] }, { RuleName: "phone", MatchingKeys: ["Phone"] }],
      RuleDefinitionTypes: ["TARGET"],
      AttributeMatchingModel: "ONE_TO_ONE",
      RecordMatchingModels: ["ONE_SOURCE_TO_ONE_TARGET"],
    },
  }],
  RoleArn: role.Arn,
});
const workflow = await AWS.EntityResolution.IdMappingWorkflow("workflow", {
  WorkflowName: "alchemy-interop",
  Description: description,
  InputSourceConfig: [
    { InputSourceARN: source.IdNamespaceArn, Type: "SOURCE" },
    { InputSourceARN: target.IdNamespaceArn, Type: "TARGET" },
  ],
  IdMappingTechniques: {
    IdMappingType: "RULE_BASED",
    RuleBasedProperties: { RuleDefinitionType: "TARGET", AttributeMatchingModel: "ONE_TO_ONE", RecordMatchingModel: "ONE_SOURCE_TO_ONE_TARGET" },
  },
  RoleArn: role.Arn,
});
const collaboration = await AWS.CleanRooms.Collaboration("collaboration", {
  Name: "alchemy interop",
  Description: description,
  CreatorDisplayName: "Advertiser",
  CreatorMemberAbilities: ["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
  // Immutable for Alchemy, and GetResource answers the default (the creator pays for queries).
  CreatorPaymentConfiguration: { QueryCompute: { IsResponsible: true } },
  Members: [],
  QueryLogStatus: "DISABLED",
});
const membership = await AWS.CleanRooms.Membership("membership", {
  CollaborationIdentifier: collaboration.CollaborationIdentifier,
  QueryLogStatus: "DISABLED",
});
const associations = {};
for (const [name, namespace] of [["source", source], ["target", target]]) {
  associations[name] = await AWS.CleanRooms.IdNamespaceAssociation(name + "-association", {
    MembershipIdentifier: membership.MembershipIdentifier,
    Name: "alchemy-interop-" + name,
    Description: description,
    InputReferenceConfig: { InputReferenceArn: namespace.IdNamespaceArn, ManageResourcePolicies: true },
  });
}
const mappingTable = await AWS.CleanRooms.IdMappingTable("id-mapping-table", {
  MembershipIdentifier: membership.MembershipIdentifier,
  Name: "alchemy_interop",
  Description: description,
  InputReferenceConfig: { InputReferenceArn: workflow.WorkflowArn, ManageResourcePolicies: true },
});
await app.finalize();
const membershipId = membership.MembershipIdentifier;
console.log(JSON.stringify({
  "AWS::S3::Bucket": { bucket: bucket.BucketName },
  "AWS::Glue::Database": { database: "alchemy_interop" },
  "AWS::Glue::Table": { crm: "alchemy_interop|crm", graph: "alchemy_interop|graph" },
  "AWS::IAM::Role": { role: "alchemy-interop" },
  "AWS::EntityResolution::SchemaMapping": {
    crm: mappings.crm.SchemaName,
    graph: mappings.graph.SchemaName,
    spare: mappings.spare.SchemaName,
  },
  "AWS::EntityResolution::IdNamespace": { source: source.IdNamespaceName, target: target.IdNamespaceName },
  "AWS::EntityResolution::IdMappingWorkflow": { workflow: workflow.WorkflowName },
  "AWS::CleanRooms::Collaboration": { collaboration: collaboration.CollaborationIdentifier },
  "AWS::CleanRooms::Membership": { membership: membershipId },
  "AWS::CleanRooms::IdNamespaceAssociation": {
    source: associations.source.IdNamespaceAssociationIdentifier + "|" + membershipId,
    target: associations.target.IdNamespaceAssociationIdentifier + "|" + membershipId,
  },
  "AWS::CleanRooms::IdMappingTable": { table: mappingTable.IdMappingTableIdentifier + "|" + membershipId },
}));
`;

describe("the real alchemy package against idbridge serve", () => {
  it("creates, updates and destroys through Cloud Control", {
    skip: installed
      ? false
      : `alchemy is not installed in ${alchemyDir} (set ALCHEMY_DIR; see the comment at the top)`,
    timeout: 600_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "idbridge-alchemy-run-"));
    const cloud = await LocalCloud.open({ home: join(dir, "cloud") });
    const server = await startServer({ cloud, home: join(dir, "cloud"), port: 0 });
    const port = localPort(cloud);
    try {
      const project = join(dir, "project");
      rmSync(project, { recursive: true, force: true });
      const { mkdirSync } = await import("node:fs");
      mkdirSync(project);
      symlinkSync(join(alchemyDir, "node_modules"), join(project, "node_modules"));
      writeFileSync(join(project, "package.json"), '{"type":"module"}');
      writeFileSync(join(project, "program.mjs"), PROGRAM);
      const run = (phase: string, description: string, mappingDescription: string) =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ["program.mjs"], {
            cwd: project,
            env: {
              PATH: process.env.PATH ?? "",
              HOME: project,
              PHASE: phase,
              DESCRIPTION: description,
              MAPPING_DESCRIPTION: mappingDescription,
              DO_NOT_TRACK: "1",
              ALCHEMY_CI_STATE_STORE_CHECK: "false",
              AWS_ENDPOINT_URL_CLOUDCONTROLAPI: server.url,
              AWS_REGION: server.credentials.region,
              AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
              AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
            },
          });
          let stdout = "";
          let stderr = "";
          child.stdout.on("data", (chunk) => {
            stdout += chunk;
          });
          child.stderr.on("data", (chunk) => {
            stderr += chunk;
          });
          child.on("exit", (code) => resolve({ code, stdout, stderr }));
        });
      const live = async (TypeName: string, Identifier: string) => {
        const answer = await port.getResource({ TypeName, Identifier });
        return JSON.parse(answer.ResourceDescription!.Properties!) as {
          Arn?: string;
          Description?: string;
          DatabaseInput?: { Description?: string };
          TableInput?: { Description?: string };
        };
      };
      /** The Description of each resource that has one (Glue's inside its input), by type and name. */
      const descriptions = async (ids: Record<string, Record<string, string>>) => {
        const out: Record<string, unknown> = {};
        for (const [type, named] of Object.entries(ids)) {
          for (const [name, identifier] of Object.entries(named)) {
            const model = await live(type, identifier);
            const description =
              type === "AWS::Glue::Database"
                ? model.DatabaseInput?.Description
                : type === "AWS::Glue::Table"
                  ? model.TableInput?.Description
                  : model.Description;
            if (!["AWS::S3::Bucket", "AWS::CleanRooms::Membership"].includes(type))
              out[`${type} ${name}`] = description;
          }
        }
        return out;
      };
      const expected = (ids: Record<string, Record<string, string>>, description: string, mapping: string) =>
        Object.fromEntries(
          Object.entries(ids)
            .filter(([type]) => !["AWS::S3::Bucket", "AWS::CleanRooms::Membership"].includes(type))
            .flatMap(([type, named]) =>
              Object.keys(named).map((name) => [
                `${type} ${name}`,
                type === "AWS::EntityResolution::SchemaMapping" && name !== "spare" ? mapping : description,
              ]),
            ),
        );

      const created = await run("up", "v1", "mapping v1");
      assert.equal(created.code, 0, `first up: ${created.stderr}`);
      const ids = JSON.parse(created.stdout.trim().split("\n").at(-1)!);
      assert.equal(Object.keys(ids).length, 11, "every type of the route");
      assert.match(
        (await live("AWS::IAM::Role", "alchemy-interop")).Arn ?? "",
        /^arn:aws:iam::\d{12}:role\/alchemy-interop$/,
      );
      assert.deepEqual(await descriptions(ids), expected(ids, "v1", "mapping v1"));

      // Every Description changes in one up (a schema mapping's where nothing uses it, see below).
      const updated = await run("up", "v2", "mapping v1");
      assert.equal(updated.code, 0, `second up: ${updated.stderr}`);
      assert.deepEqual(
        await descriptions(ids),
        expected(ids, "v2", "mapping v1"),
        "alchemy's update patches applied",
      );

      // "A schema is immutable if it is being used by a workflow. Therefore, you can't update a schema
      // mapping if it's associated with a workflow." (botocore entityresolution UpdateSchemaMapping):
      // the mappings the namespaces use refuse a new Description, and nothing changes.
      const inUse = await run("up", "v2", "mapping v2");
      assert.notEqual(inUse.code, 0, "an in-use schema mapping's Description cannot change");
      assert.match(inUse.stderr, /ResourceConflict/);
      assert.match(inUse.stderr, /schema mapping alchemy-interop-\w+ is used by a workflow or ID namespace/);
      assert.deepEqual(await descriptions(ids), expected(ids, "v2", "mapping v1"));

      const destroyed = await run("destroy", "v2", "mapping v1");
      assert.equal(destroyed.code, 0, `destroy: ${destroyed.stderr}`);
      for (const [type, named] of Object.entries(ids as Record<string, Record<string, string>>))
        for (const identifier of Object.values(named))
          await assert.rejects(
            live(type, identifier),
            /ResourceNotFoundException/,
            `${type} ${identifier} is gone`,
          );
    } finally {
      await server.close();
      await cloud.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
