import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { rejectsWith } from "../../../test/support/aws-error-assertions.ts";
import {
  CRM_TABLE_ARN,
  createNamespaces,
  ctx,
  type Fixture,
  openFixture,
  ROLE_ARN,
  UNTRUSTED_ROLE_ARN,
  workflowInput,
} from "../../../test/support/entity-resolution-fixture.ts";
import { crmSchema } from "../../synth/index.ts";
import { createEntityResolution } from "./index.ts";
import { ER_TABLES, type IdMappingJobRecord, jobKey } from "./records.ts";

describe("Entity Resolution", () => {
  let fixture: Fixture;
  const er = () => fixture.cloud.services.entityresolution!.operations;
  before(async () => {
    fixture = await openFixture();
  });
  after(async () => {
    await fixture.cleanup();
  });

  test("schema mappings: create, get, list, update, delete, and ER's errors", async () => {
    const input = { ...crmSchema(), schemaName: "sm-test" };
    const created = await er().CreateSchemaMapping!(input, ctx);
    assert.equal(
      created["schemaArn"],
      "arn:aws:entityresolution:us-east-1:000000000000:schemamapping/sm-test",
    );
    await rejectsWith(er().CreateSchemaMapping!(input, ctx), {
      code: "ConflictException",
      message: /already exists/,
    });
    const got = await er().GetSchemaMapping!({ schemaName: "sm-test" }, ctx);
    assert.equal(got["mappedInputFields"].length, input.mappedInputFields.length);
    assert.equal(got["hasWorkflows"], false);
    assert.ok(got["createdAt"] instanceof Date);
    const listed = await er().ListSchemaMappings!({}, ctx);
    assert.ok(listed["schemaList"].some((s: { schemaName: string }) => s.schemaName === "sm-test"));
    await er().UpdateSchemaMapping!(
      { schemaName: "sm-test", mappedInputFields: input.mappedInputFields.slice(0, 3) },
      ctx,
    );
    assert.equal(
      (await er().GetSchemaMapping!({ schemaName: "sm-test" }, ctx))["mappedInputFields"].length,
      3,
    );
    await rejectsWith(
      er().CreateSchemaMapping!(
        {
          schemaName: "two-ids",
          mappedInputFields: [input.mappedInputFields[0], input.mappedInputFields[0]],
        },
        ctx,
      ),
      { code: "ValidationException", message: /exactly one field of type UNIQUE_ID/ },
    );
    await rejectsWith(er().CreateSchemaMapping!({ schemaName: "bad type", mappedInputFields: [] }, ctx), {
      code: "ValidationException",
      message: /schemaName/,
    });
    await er().DeleteSchemaMapping!({ schemaName: "sm-test" }, ctx);
    await rejectsWith(er().GetSchemaMapping!({ schemaName: "sm-test" }, ctx), {
      code: "ResourceNotFoundException",
    });
    // ER answers success for a schema mapping that does not exist.
    assert.match((await er().DeleteSchemaMapping!({ schemaName: "sm-test" }, ctx))["message"], /deleted/);
  });

  test("ID namespaces: a role that does not trust ER, or cannot read the table, is AccessDenied", async () => {
    await er().CreateSchemaMapping!({ ...crmSchema(), schemaName: "crm-ns" }, ctx);
    const input = {
      idNamespaceName: "denied",
      type: "SOURCE",
      inputSourceConfig: [{ inputSourceARN: CRM_TABLE_ARN, schemaName: "crm-ns" }],
      roleArn: UNTRUSTED_ROLE_ARN,
    };
    await rejectsWith(er().CreateIdNamespace!(input, ctx), {
      code: "AccessDeniedException",
      message: /entityresolution\.amazonaws\.com/,
    });
    await rejectsWith(er().CreateIdNamespace!({ ...input, roleArn: undefined }, ctx), {
      code: "ValidationException",
      message: /roleArn is required/,
    });
    await rejectsWith(
      er().CreateIdNamespace!(
        {
          ...input,
          roleArn: ROLE_ARN,
          inputSourceConfig: [
            { inputSourceARN: CRM_TABLE_ARN.replace("customers", "missing"), schemaName: "crm-ns" },
          ],
        },
        ctx,
      ),
      { code: "ValidationException", message: /does not exist/ },
    );
    const tooMany = Array.from({ length: 21 }, () => ({
      inputSourceARN: CRM_TABLE_ARN,
      schemaName: "crm-ns",
    }));
    await rejectsWith(
      er().CreateIdNamespace!({ ...input, roleArn: ROLE_ARN, inputSourceConfig: tooMany }, ctx),
      { code: "ValidationException", message: /inputSourceConfig/ },
    );
    const created = await er().CreateIdNamespace!(
      { ...input, idNamespaceName: "allowed", roleArn: ROLE_ARN },
      ctx,
    );
    assert.equal(
      created["idNamespaceArn"],
      "arn:aws:entityresolution:us-east-1:000000000000:idnamespace/allowed",
    );
    assert.equal((await er().GetIdNamespace!({ idNamespaceName: "allowed" }, ctx))["type"], "SOURCE");
    await er().UpdateIdNamespace!({ idNamespaceName: "allowed", description: "changed" }, ctx);
    assert.equal((await er().GetIdNamespace!({ idNamespaceName: "allowed" }, ctx))["description"], "changed");
    await rejectsWith(er().DeleteSchemaMapping!({ schemaName: "crm-ns" }, ctx), {
      code: "ConflictException",
      message: /used by/,
    });
    await er().DeleteIdNamespace!({ idNamespaceName: "allowed" }, ctx);
    await rejectsWith(er().GetIdNamespace!({ idNamespaceName: "allowed" }, ctx), {
      code: "ResourceNotFoundException",
    });
  });

  test("ID mapping job: QUEUED -> RUNNING -> SUCCEEDED with ER's metrics, one running job per workflow", async () => {
    const { sourceArn, targetArn } = await createNamespaces(fixture.cloud, "-job");
    const workflow = await er().CreateIdMappingWorkflow!(
      {
        ...workflowInput("map-job", sourceArn, targetArn),
        outputSourceConfig: [{ outputS3Path: "s3://crm-data/out/" }],
      },
      ctx,
    );
    assert.equal(
      workflow["workflowArn"],
      "arn:aws:entityresolution:us-east-1:000000000000:idmappingworkflow/map-job",
    );
    const { jobId } = await er().StartIdMappingJob!({ workflowName: "map-job" }, ctx);
    assert.match(jobId, /^[0-9a-f]{32}$/);
    await rejectsWith(er().StartIdMappingJob!({ workflowName: "map-job" }, ctx), {
      code: "ConflictException",
      message: /already has/,
    });
    await rejectsWith(er().DeleteIdMappingWorkflow!({ workflowName: "map-job" }, ctx), {
      code: "ConflictException",
    });
    await (await createEntityResolution(fixture.cloud.deps)).internals.idle();
    const job = await er().GetIdMappingJob!({ workflowName: "map-job", jobId }, ctx);
    assert.equal(job["status"], "SUCCEEDED", JSON.stringify(job["errorDetails"]));
    const metrics = job["metrics"];
    assert.ok(metrics.totalMappedSourceRecords > 0, "some CRM records map to the graph");
    assert.ok(metrics.totalMappedSourceRecords <= fixture.synthetic.stats.crmRecords);
    assert.ok(metrics.inputRecords >= metrics.totalRecordsProcessed);
    assert.ok(job["endTime"] >= job["startTime"]);
    const files = await fixture.cloud.deps.s3.listObjectFiles(`s3://crm-data/out/map-job/${jobId}/`);
    assert.equal(files.length, 1, "the mapping is written under the workflow's output path");
    const jobs = await er().ListIdMappingJobs!({ workflowName: "map-job" }, ctx);
    assert.deepEqual(
      jobs["jobs"].map((j: { jobId: string }) => j.jobId),
      [jobId],
    );
    // A second job may start once the first has ended.
    const second = await er().StartIdMappingJob!({ workflowName: "map-job" }, ctx);
    await (await createEntityResolution(fixture.cloud.deps)).internals.idle();
    assert.equal(
      (await er().GetIdMappingJob!({ workflowName: "map-job", jobId: second["jobId"] }, ctx))["status"],
      "SUCCEEDED",
    );
  });

  test("a job whose role lost its read permission since creation FAILS with ER's AccessDenied reason", async () => {
    const iam = fixture.cloud.services.iam!.operations;
    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "entityresolution.amazonaws.com" },
          Action: "sts:AssumeRole",
        },
      ],
    });
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["glue:*", "s3:*"], Resource: "*" }],
    });
    await iam.CreateRole!({ RoleName: "fragile", AssumeRolePolicyDocument: trust }, ctx);
    await iam.PutRolePolicy!({ RoleName: "fragile", PolicyName: "all", PolicyDocument: policy }, ctx);
    const role = `arn:aws:iam::${ctx.accountId}:role/fragile`;
    await er().CreateSchemaMapping!({ ...crmSchema(), schemaName: "crm-fragile" }, ctx);
    const source = await er().CreateIdNamespace!(
      {
        idNamespaceName: "fragile-source",
        type: "SOURCE",
        inputSourceConfig: [{ inputSourceARN: CRM_TABLE_ARN, schemaName: "crm-fragile" }],
        roleArn: role,
      },
      ctx,
    );
    const { targetArn } = await createNamespaces(fixture.cloud, "-fragile");
    await er().CreateIdMappingWorkflow!(
      workflowInput("map-fragile", source["idNamespaceArn"], targetArn),
      ctx,
    );
    await iam.DeleteRolePolicy!({ RoleName: "fragile", PolicyName: "all" }, ctx);
    const { jobId } = await er().StartIdMappingJob!({ workflowName: "map-fragile" }, ctx);
    await (await createEntityResolution(fixture.cloud.deps)).internals.idle();
    const job = await er().GetIdMappingJob!({ workflowName: "map-fragile", jobId }, ctx);
    assert.equal(job["status"], "FAILED");
    assert.match(
      job["errorDetails"].errorMessage,
      /cannot read input source .*customers with role .*fragile/,
    );
  });

  test("a job that fails on an input file names the S3 object, never the local cloud's files", async () => {
    const csv = join(fixture.dataDir, "headerless.csv");
    writeFileSync(csv, "unrelated\n1\n");
    await fixture.cloud.deps.s3.putObjectFromFile("s3://crm-data/headerless/part-0.csv", csv);
    // No Columns in the Glue table: the job only finds out when it reads the file.
    await fixture.cloud.services.glue!.operations.CreateTable!(
      {
        DatabaseName: "crm",
        TableInput: { Name: "headerless", StorageDescriptor: { Location: "s3://crm-data/headerless/" } },
      },
      ctx,
    );
    await er().CreateSchemaMapping!({ ...crmSchema(), schemaName: "crm-headerless" }, ctx);
    const source = await er().CreateIdNamespace!(
      {
        idNamespaceName: "headerless-source",
        type: "SOURCE",
        inputSourceConfig: [
          { inputSourceARN: CRM_TABLE_ARN.replace("customers", "headerless"), schemaName: "crm-headerless" },
        ],
        roleArn: ROLE_ARN,
      },
      ctx,
    );
    const { targetArn } = await createNamespaces(fixture.cloud, "-headerless");
    await er().CreateIdMappingWorkflow!(
      workflowInput("map-headerless", source["idNamespaceArn"], targetArn),
      ctx,
    );
    const { jobId } = await er().StartIdMappingJob!({ workflowName: "map-headerless" }, ctx);
    await (await createEntityResolution(fixture.cloud.deps)).internals.idle();
    const job = await er().GetIdMappingJob!({ workflowName: "map-headerless", jobId }, ctx);
    assert.equal(job["status"], "FAILED");
    const message: string = job["errorDetails"].errorMessage;
    assert.match(message, /is not a column of s3:\/\/crm-data\/headerless\/part-0\.csv/);
    assert.ok(!message.includes(fixture.home), `no local cloud path in: ${message}`);
    assert.ok(!message.includes("blobs"), `no blob file in: ${message}`);
  });

  test("a workflow without rules on its ruleDefinitionType side, or without a TARGET, is rejected", async () => {
    const { sourceArn } = await createNamespaces(fixture.cloud, "-bad");
    await rejectsWith(er().CreateIdMappingWorkflow!(workflowInput("no-target", sourceArn, sourceArn), ctx), {
      code: "ValidationException",
    });
    const input = workflowInput(
      "source-rules",
      sourceArn,
      sourceArn.replace("crm-source-bad", "graph-target-bad"),
    );
    input.idMappingTechniques.ruleBasedProperties.ruleDefinitionType = "SOURCE";
    await rejectsWith(er().CreateIdMappingWorkflow!(input, ctx), {
      code: "ValidationException",
      message: /not compatible with ID namespace crm-source-bad/,
    });
  });

  test("restart: a job left RUNNING is resumed once, and failed with a reason when interrupted again", async () => {
    const { sourceArn, targetArn } = await createNamespaces(fixture.cloud, "-restart");
    const workflow = await er().CreateIdMappingWorkflow!(
      workflowInput("map-restart", sourceArn, targetArn),
      ctx,
    );
    const interrupted = (jobId: string, attempts: number): IdMappingJobRecord => ({
      jobId,
      accountId: ctx.accountId,
      region: ctx.region,
      workflowName: "map-restart",
      workflowArn: workflow["workflowArn"],
      status: "RUNNING",
      startTime: Date.now(),
      attempts,
    });
    const once = "a".repeat(32);
    const twice = "b".repeat(32);
    // What the store holds after a kill -9 in the middle of a job.
    await fixture.cloud.store.transact((tx) => {
      tx.put(ER_TABLES.idMappingJobs, jobKey(ctx.accountId, "map-restart", once), interrupted(once, 1));
    });
    const cloud = await fixture.reopen();
    await (await createEntityResolution(cloud.deps)).internals.idle();
    const resumed = await er().GetIdMappingJob!({ workflowName: "map-restart", jobId: once }, ctx);
    assert.equal(resumed["status"], "SUCCEEDED", JSON.stringify(resumed["errorDetails"]));

    await cloud.store.transact((tx) => {
      tx.put(ER_TABLES.idMappingJobs, jobKey(ctx.accountId, "map-restart", twice), interrupted(twice, 2));
    });
    await fixture.reopen();
    const failed = await er().GetIdMappingJob!({ workflowName: "map-restart", jobId: twice }, ctx);
    assert.equal(failed["status"], "FAILED");
    assert.match(failed["errorDetails"].errorMessage, /interrupted/);
  });

  test("Cloud Control providers round-trip CloudFormation models (SchemaArn <-> schemaName, tags)", async () => {
    const { providers } = await createEntityResolution(fixture.cloud.deps);
    const [schemaMappings, namespaces, workflows] = providers;
    const fields = crmSchema().mappedInputFields.map((f) => ({
      FieldName: f.fieldName,
      Type: f.type,
      ...(f.matchKey ? { MatchKey: f.matchKey } : {}),
      ...(f.hashed !== undefined ? { Hashed: f.hashed } : {}),
    }));
    const schema = await schemaMappings!.create(
      { SchemaName: "cfn-crm", MappedInputFields: fields, Tags: [{ Key: "a", Value: "1" }] },
      ctx,
    );
    assert.equal(schema.identifier, "cfn-crm");
    assert.deepEqual(schema.model["MappedInputFields"], fields);
    assert.equal(
      schema.model["SchemaArn"],
      "arn:aws:entityresolution:us-east-1:000000000000:schemamapping/cfn-crm",
    );
    const retagged = await schemaMappings!.update(
      "cfn-crm",
      { SchemaName: "cfn-crm", MappedInputFields: fields, Tags: [{ Key: "b", Value: "2" }] },
      ctx,
    );
    assert.deepEqual(retagged["Tags"], [{ Key: "b", Value: "2" }]);
    const { targetArn } = await createNamespaces(fixture.cloud, "-cfn");
    const namespace = await namespaces!.create(
      {
        IdNamespaceName: "cfn-source",
        Type: "SOURCE",
        InputSourceConfig: [{ InputSourceARN: CRM_TABLE_ARN, SchemaName: "cfn-crm" }],
        IdMappingWorkflowProperties: [
          { IdMappingType: "RULE_BASED", RuleBasedProperties: { RuleDefinitionTypes: ["TARGET"] } },
        ],
        RoleArn: ROLE_ARN,
      },
      ctx,
    );
    assert.equal(
      namespace.model["IdNamespaceArn"],
      "arn:aws:entityresolution:us-east-1:000000000000:idnamespace/cfn-source",
    );
    const workflow = await workflows!.create(
      {
        WorkflowName: "cfn-wf",
        InputSourceConfig: [
          { InputSourceARN: namespace.model["IdNamespaceArn"], Type: "SOURCE" },
          { InputSourceARN: targetArn, Type: "TARGET" },
        ],
        IdMappingTechniques: {
          IdMappingType: "RULE_BASED",
          RuleBasedProperties: {
            RuleDefinitionType: "TARGET",
            AttributeMatchingModel: "MANY_TO_MANY",
            RecordMatchingModel: "MANY_SOURCE_TO_ONE_TARGET",
          },
        },
        RoleArn: ROLE_ARN,
      },
      ctx,
    );
    assert.equal(workflow.identifier, "cfn-wf");
    assert.ok((await workflows!.list(ctx)).some((w) => w.identifier === "cfn-wf"));
    await workflows!.delete("cfn-wf", ctx);
    await namespaces!.delete("cfn-source", ctx);
    await schemaMappings!.delete("cfn-crm", ctx);
    assert.equal(await schemaMappings!.read("cfn-crm", ctx), undefined);
    await rejectsWith(schemaMappings!.delete("cfn-crm", ctx), { code: "ResourceNotFoundException" });
  });

  test("tags and resource policies", async () => {
    await er().CreateSchemaMapping!({ ...crmSchema(), schemaName: "tagged", tags: { team: "ads" } }, ctx);
    const arn = "arn:aws:entityresolution:us-east-1:000000000000:schemamapping/tagged";
    await er().TagResource!({ resourceArn: arn, tags: { stage: "dev" } }, ctx);
    await er().UntagResource!({ resourceArn: arn, tagKeys: ["team"] }, ctx);
    assert.deepEqual((await er().ListTagsForResource!({ resourceArn: arn }, ctx))["tags"], { stage: "dev" });
    await rejectsWith(er().GetPolicy!({ arn }, ctx), { code: "ResourceNotFoundException" });
    const put = await er().PutPolicy!(
      { arn, policy: JSON.stringify({ Version: "2012-10-17", Statement: [] }) },
      ctx,
    );
    assert.equal((await er().GetPolicy!({ arn }, ctx))["token"], put["token"]);
    await rejectsWith(er().TagResource!({ resourceArn: `${arn}-missing`, tags: { a: "b" } }, ctx), {
      code: "ResourceNotFoundException",
    });
  });
});
