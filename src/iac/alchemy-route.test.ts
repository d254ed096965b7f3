/**
 * The real alchemy package brings the seed route's resources up through Cloud Control on
 * `idbridge serve` (S3, Glue, IAM, Entity Resolution, Clean Rooms), changes the Description of every
 * resource whose Description an update may change, and destroys them all. Skips without ALCHEMY_DIR.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { alchemyProject, alchemySkip } from "../../test/support/alchemy.ts";
import { valueAt } from "../cloud/kit/json-pointer.ts";
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from "../cloud/service.ts";
import { localPort } from "./backends/local.ts";

// Only the CloudFormation shapes (src/schemas/aws/cfn-schemas.json) and Alchemy's own API.
// - Glue::Database names DatabaseName and the collaboration its CreatorPaymentConfiguration: Alchemy
//   compares its Immutable (create-only) properties with GetResource's answer, which carries the
//   values the service filled in, and would replace the resource otherwise (as it would on AWS).
// - The schema mappings keep their Description: ER's UpdateSchemaMapping refuses (ConflictException)
//   while an ID namespace uses the mapping (botocore entityresolution/2018-05-10).
const PROGRAM = `
import alchemy from "alchemy";
import AWS from "alchemy/aws/control";
const { PHASE: phase, DESCRIPTION: description, ACCOUNT: account, REGION: region } = process.env;
const app = await alchemy("route", { stage: "test", phase, quiet: true });
await AWS.S3.Bucket("bucket", { BucketName: "route-data" });
await AWS.Glue.Database("db", {
  CatalogId: account, DatabaseName: "crm", DatabaseInput: { Name: "crm", Description: description },
});
for (const [name, id] of [["customers", "customer_id"], ["graph", "target_id"]]) {
  await AWS.Glue.Table("table-" + name, {
    CatalogId: account, DatabaseName: "crm",
    TableInput: {
      Name: name, Description: description,
      StorageDescriptor: {
        Location: "s3://route-data/" + name + "/",
        Columns: [{ Name: id, Type: "string" }, { Name: "email", Type: "string" }],
      },
    },
  });
}
const role = await AWS.IAM.Role("role", {
  RoleName: "route-er", Path: "/", Description: description,
  AssumeRolePolicyDocument: {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: ["entityresolution.amazonaws.com"] }, Action: "sts:AssumeRole" }],
  },
  Policies: [{
    PolicyName: "read",
    PolicyDocument: {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:PutObject"],
          Resource: ["arn:aws:s3:::route-data", "arn:aws:s3:::route-data/*"] },
        { Effect: "Allow", Action: ["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"], Resource: ["*"] },
      ],
    },
  }],
});
const mapping = async (name, id) => AWS.EntityResolution.SchemaMapping("mapping-" + name, {
  SchemaName: name, Description: "route mapping",
  MappedInputFields: [{ FieldName: id, Type: "UNIQUE_ID" }, { FieldName: "email", Type: "EMAIL_ADDRESS", MatchKey: "Email" }],
});
const crm = await mapping("crm", "customer_id");
const graph = await mapping("graph", "target_id");
const table = (name) => "arn:aws:glue:" + region + ":" + account + ":table/crm/" + name;
const source = await AWS.EntityResolution.IdNamespace("source", {
  IdNamespaceName: "route-source", Type: "SOURCE", Description: description, RoleArn: role.Arn,
  InputSourceConfig: [{ InputSourceARN: table("customers"), SchemaName: crm.SchemaName }],
  IdMappingWorkflowProperties: [{ IdMappingType: "RULE_BASED", RuleBasedProperties: { RuleDefinitionTypes: ["TARGET"] } }],
});
const target = await AWS.EntityResolution.IdNamespace("target", {
  IdNamespaceName: "route-target", Type: "TARGET", Description: description, RoleArn: role.Arn,
  InputSourceConfig: [{ InputSourceARN: table("graph"), SchemaName: graph.SchemaName }],
  IdMappingWorkflowProperties: [{
    IdMappingType: "RULE_BASED",
    RuleBasedProperties: {
      Rules: [{ RuleName: "email", MatchingKeys: ["Email"] }], RuleDefinitionTypes: ["TARGET"],
      AttributeMatchingModel: "MANY_TO_MANY", RecordMatchingModels: ["MANY_SOURCE_TO_ONE_TARGET"],
    },
  }],
});
const workflow = await AWS.EntityResolution.IdMappingWorkflow("workflow", {
  WorkflowName: "route-workflow", Description: description, RoleArn: role.Arn,
  InputSourceConfig: [
    { InputSourceARN: source.IdNamespaceArn, Type: "SOURCE" },
    { InputSourceARN: target.IdNamespaceArn, Type: "TARGET" },
  ],
  IdMappingTechniques: {
    IdMappingType: "RULE_BASED",
    RuleBasedProperties: { RuleDefinitionType: "TARGET", AttributeMatchingModel: "MANY_TO_MANY", RecordMatchingModel: "MANY_SOURCE_TO_ONE_TARGET" },
  },
});
const collaboration = await AWS.CleanRooms.Collaboration("collaboration", {
  Name: "route", Description: description, CreatorDisplayName: "Us",
  CreatorMemberAbilities: ["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
  CreatorPaymentConfiguration: { QueryCompute: { IsResponsible: true } },
  Members: [], QueryLogStatus: "DISABLED",
});
const membership = await AWS.CleanRooms.Membership("membership", {
  CollaborationIdentifier: collaboration.CollaborationIdentifier, QueryLogStatus: "DISABLED",
});
const associations = {};
for (const [name, namespace] of [["source", source], ["target", target]]) {
  const association = await AWS.CleanRooms.IdNamespaceAssociation("association-" + name, {
    MembershipIdentifier: membership.MembershipIdentifier, Name: name, Description: description,
    InputReferenceConfig: { InputReferenceArn: namespace.IdNamespaceArn, ManageResourcePolicies: true },
  });
  associations[name] = association.IdNamespaceAssociationIdentifier;
}
const mappingTable = await AWS.CleanRooms.IdMappingTable("mapping-table", {
  MembershipIdentifier: membership.MembershipIdentifier, Name: "route_table", Description: description,
  InputReferenceConfig: { InputReferenceArn: workflow.WorkflowArn, ManageResourcePolicies: true },
});
await app.finalize();
console.log(JSON.stringify({
  collaboration: collaboration.CollaborationIdentifier,
  membership: membership.MembershipIdentifier,
  associations,
  table: mappingTable.IdMappingTableIdentifier,
}));
`;

describe("the real alchemy package and the seed route", () => {
  it("creates it, changes every updatable Description, destroys it", {
    skip: alchemySkip,
    timeout: 300_000,
  }, async () => {
    const project = await alchemyProject(PROGRAM);
    const port = localPort(project.cloud);
    const run = (phase: string, description: string) =>
      project.run({
        PHASE: phase,
        DESCRIPTION: description,
        ACCOUNT: LOCAL_ACCOUNT_ID,
        REGION: LOCAL_REGION,
      });
    const read = async (TypeName: string, Identifier: string) =>
      JSON.parse((await port.getResource({ TypeName, Identifier })).ResourceDescription!.Properties!);
    try {
      const created = await run("up", "v1");
      assert.equal(created.code, 0, `first up: ${created.stderr}`);
      const ids = JSON.parse(created.stdout.trim().split("\n").at(-1)!);
      const described: Array<[type: string, identifier: string, descriptionPath: string]> = [
        ["AWS::Glue::Database", "crm", "DatabaseInput/Description"],
        ["AWS::Glue::Table", "crm|customers", "TableInput/Description"],
        ["AWS::Glue::Table", "crm|graph", "TableInput/Description"],
        ["AWS::IAM::Role", "route-er", "Description"],
        ["AWS::EntityResolution::IdNamespace", "route-source", "Description"],
        ["AWS::EntityResolution::IdNamespace", "route-target", "Description"],
        ["AWS::EntityResolution::IdMappingWorkflow", "route-workflow", "Description"],
        ["AWS::CleanRooms::Collaboration", ids.collaboration, "Description"],
        ...Object.values(ids.associations as Record<string, string>).map((id): [string, string, string] => [
          "AWS::CleanRooms::IdNamespaceAssociation",
          `${id}|${ids.membership}`,
          "Description",
        ]),
        ["AWS::CleanRooms::IdMappingTable", `${ids.table}|${ids.membership}`, "Description"],
      ];
      for (const [type, identifier, path] of described)
        assert.equal(valueAt(await read(type, identifier), path), "v1", `${type} ${identifier}`);

      const updated = await run("up", "v2");
      assert.equal(updated.code, 0, `second up: ${updated.stderr}`);
      for (const [type, identifier, path] of described)
        assert.equal(
          valueAt(await read(type, identifier), path),
          "v2",
          `${type} ${identifier} after the update`,
        );
      // Updated in place, not replaced: the ids Alchemy printed are still the resources'.
      assert.deepEqual(JSON.parse(updated.stdout.trim().split("\n").at(-1)!), ids);

      const destroyed = await run("destroy", "v2");
      assert.equal(destroyed.code, 0, `destroy: ${destroyed.stderr}`);
      for (const [type, identifier] of [...described, ["AWS::CleanRooms::Membership", ids.membership]])
        await assert.rejects(
          read(type!, identifier!),
          /ResourceNotFoundException/,
          `${type} ${identifier} is gone`,
        );
    } finally {
      await project.close();
    }
  });
});
