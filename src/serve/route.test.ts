/**
 * The AMC identity route (Amazon Ads' AMC guide "Bring identity data into the collaboration instance") over
 * the wire: `startServer` on 127.0.0.1:0 in front of the
 * real local cloud, driven only by the official AWS SDK v3 clients (endpoint + region + credentials)
 * and plain HTTP for the AMC admin API — then the failure cases, each with the error AWS gives.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  CleanRoomsClient,
  CreateCollaborationCommand,
  CreateIdMappingTableCommand,
  CreateIdNamespaceAssociationCommand,
  CreateMembershipCommand,
  GetIdMappingTableCommand,
  PopulateIdMappingTableCommand,
} from "@aws-sdk/client-cleanrooms";
import {
  CloudControlClient,
  CreateResourceCommand,
  DeleteResourceCommand,
  GetResourceCommand,
  GetResourceRequestStatusCommand,
  type ProgressEvent,
  UpdateResourceCommand,
} from "@aws-sdk/client-cloudcontrol";
import {
  CreateIdMappingWorkflowCommand,
  CreateIdNamespaceCommand,
  CreateSchemaMappingCommand,
  EntityResolutionClient,
  GetIdMappingJobCommand,
  type GetIdMappingJobCommandOutput,
  GetIdMappingWorkflowCommand,
  GetIdNamespaceCommand,
  type SchemaInputAttribute,
  StartIdMappingJobCommand,
} from "@aws-sdk/client-entityresolution";
import {
  CreateDatabaseCommand,
  CreateTableCommand,
  DeleteTableCommand,
  GetTableCommand,
  GlueClient,
} from "@aws-sdk/client-glue";
import {
  CreateRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { signedFetch } from "../../test/support/signed-requests.ts";
import { LOCAL_AMC } from "../cloud/amc/index.ts";
import { LocalCloud } from "../cloud/index.ts";
import { conforming } from "./conformance.ts";
import { type RunningServer, startServer } from "./index.ts";

const run = `route-${process.pid}`;
// A small synthetic Amazon graph keeps the AMC jobs of this file quick.
process.env.IDBRIDGE_AMC_GRAPH_PEOPLE ??= "300";
const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { Service: ["entityresolution.amazonaws.com"] }, Action: "sts:AssumeRole" },
  ],
});
const permissions = (bucket: string, database: string, table: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"],
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
      },
      { Effect: "Allow", Action: ["s3:PutObject"], Resource: [`arn:aws:s3:::${bucket}/out/*`] },
      {
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
          "arn:aws:glue:us-east-1:000000000000:catalog",
          `arn:aws:glue:us-east-1:000000000000:database/${database}`,
          `arn:aws:glue:us-east-1:000000000000:table/${database}/${table}`,
          `arn:aws:glue:us-east-1:000000000000:table/${database}/graph`,
        ],
      },
    ],
  });

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

/** The prepared CRM file: every identity column AMC's rules read, SHA-256 of normalized values. */
const CRM_COLUMNS = [
  "customer_id",
  "email",
  "phone",
  "first_name",
  "last_name",
  "address",
  "city",
  "state",
  "postal",
];
const crmCsv = (emails: string[]) =>
  `${CRM_COLUMNS.join(",")}\n${emails
    .map((email, i) =>
      [
        String(i + 1),
        ...CRM_COLUMNS.slice(1).map((column) => sha(column === "email" ? email : `${column}${i}`)),
      ].join(","),
    )
    .join("\n")}\n`;

async function finished(
  er: EntityResolutionClient,
  workflowName: string,
  jobId: string,
): Promise<GetIdMappingJobCommandOutput> {
  for (let i = 0; i < 600; i++) {
    const job = await er.send(new GetIdMappingJobCommand({ workflowName, jobId }));
    if (job.status === "SUCCEEDED" || job.status === "FAILED") return job;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`job ${jobId} did not finish`);
}

async function settle(client: CloudControlClient, event: ProgressEvent | undefined): Promise<ProgressEvent> {
  let current = event;
  for (
    let i = 0;
    i < 200 && current && !["SUCCESS", "FAILED", "CANCEL_COMPLETE"].includes(current.OperationStatus ?? "");
    i++
  ) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    current = (await client.send(new GetResourceRequestStatusCommand({ RequestToken: current.RequestToken })))
      .ProgressEvent;
  }
  assert.ok(current, "a progress event");
  return current;
}

describe("the AMC identity route over the wire, with the official SDK clients", () => {
  let home: string;
  let cloud: Awaited<ReturnType<typeof LocalCloud.open>>;
  let server: RunningServer;
  let config: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };

  before(async () => {
    home = await mkdtemp(join(tmpdir(), "idbridge-serve-route-"));
    cloud = await LocalCloud.open({ home });
    server = await startServer({ cloud, home, port: 0 });
    config = { endpoint: server.url, region: "us-east-1", credentials: server.credentials };
  });
  after(async () => {
    await server?.close();
    await cloud?.close();
    await rm(home, { recursive: true, force: true });
  });

  const bucket = `${run}-input`;
  const database = `${run.replace(/-/g, "_")}_db`;
  const table = "crm";
  const roleArn = `arn:aws:iam::000000000000:role/${run}-er`;
  const tableArn = `arn:aws:glue:us-east-1:000000000000:table/${database}/${table}`;
  let namespaceArn: string | undefined;
  let targetNamespaceArn: string | undefined;
  /** Skips (with the reason) a step whose operation the local cloud does not have yet. */
  const needs = (t: { skip(message: string): void }, service: string, operation: string) => {
    const has =
      operation in (service === "amc" ? cloud.amc.operations : (cloud.services[service]?.operations ?? {}));
    if (!has) t.skip(`the local ${service} service has no ${operation} yet`);
    return has;
  };

  describe("AWS side: S3, Glue, IAM", () => {
    it("stores the prepared file in S3, catalogs it in Glue, and creates the ER pass role", async () => {
      const s3 = conforming(new S3Client({ ...config, forcePathStyle: true }));
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: "crm/part-0.csv",
          Body: crmCsv(["a@x.com", "b@x.com"]),
          ContentType: "text/csv",
        }),
      );
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "crm/" }));
      assert.deepEqual(
        listed.Contents?.map((o) => o.Key),
        ["crm/part-0.csv"],
      );

      const glue = conforming(new GlueClient(config));
      await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: database } }));
      await glue.send(
        new CreateTableCommand({
          DatabaseName: database,
          TableInput: {
            Name: table,
            TableType: "EXTERNAL_TABLE",
            Parameters: { classification: "csv", "skip.header.line.count": "1" },
            StorageDescriptor: {
              Location: `s3://${bucket}/crm/`,
              Columns: CRM_COLUMNS.map((Name) => ({ Name, Type: "string" })),
            },
          },
        }),
      );
      const got = await glue.send(new GetTableCommand({ DatabaseName: database, Name: table }));
      assert.equal(got.Table?.StorageDescriptor?.Location, `s3://${bucket}/crm/`);
      assert.ok(got.Table?.CreateTime instanceof Date);

      const iam = conforming(new IAMClient(config));
      const role = await iam.send(
        new CreateRoleCommand({ RoleName: `${run}-er`, AssumeRolePolicyDocument: TRUST }),
      );
      assert.equal(role.Role?.Arn, `arn:aws:iam::000000000000:role/${run}-er`);
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: `${run}-er`,
          PolicyName: "read-input",
          PolicyDocument: permissions(bucket, database, table),
        }),
      );
      const policy = await iam.send(
        new GetRolePolicyCommand({ RoleName: `${run}-er`, PolicyName: "read-input" }),
      );
      // IAM answers policy documents URL-encoded.
      assert.deepEqual(
        JSON.parse(decodeURIComponent(policy.PolicyDocument ?? "")),
        JSON.parse(permissions(bucket, database, table)),
      );
    });
  });

  describe("Entity Resolution", () => {
    const fields: SchemaInputAttribute[] = [
      { fieldName: "customer_id", type: "UNIQUE_ID" },
      { fieldName: "email", type: "EMAIL_ADDRESS", matchKey: "Email", hashed: true },
      { fieldName: "phone", type: "PHONE", matchKey: "Phone", hashed: true },
      { fieldName: "first_name", type: "NAME_FIRST", matchKey: "FirstName", hashed: true },
      { fieldName: "last_name", type: "NAME_LAST", matchKey: "LastName", hashed: true },
      { fieldName: "address", type: "ADDRESS", matchKey: "Address", hashed: true },
      { fieldName: "city", type: "ADDRESS_CITY", matchKey: "City", hashed: true },
      { fieldName: "state", type: "ADDRESS_STATE", matchKey: "State", hashed: true },
      { fieldName: "postal", type: "ADDRESS_POSTALCODE", matchKey: "Postal", hashed: true },
    ];

    it("creates the schema mapping and the SOURCE ID namespace over the Glue table", async (t) => {
      if (!needs(t, "entityresolution", "CreateIdNamespace")) return;
      const er = conforming(new EntityResolutionClient(config));
      const mapping = await er.send(
        new CreateSchemaMappingCommand({ schemaName: `${run}-crm`, mappedInputFields: fields }),
      );
      assert.equal(
        mapping.schemaArn,
        `arn:aws:entityresolution:us-east-1:000000000000:schemamapping/${run}-crm`,
      );
      const created = await er.send(
        new CreateIdNamespaceCommand({
          idNamespaceName: `${run}-source`,
          type: "SOURCE",
          roleArn,
          inputSourceConfig: [{ inputSourceARN: tableArn, schemaName: `${run}-crm` }],
          idMappingWorkflowProperties: [
            {
              idMappingType: "RULE_BASED",
              // The guide's payload: the TARGET side (Amazon) defines the rules and matching models.
              ruleBasedProperties: { ruleDefinitionTypes: ["TARGET"] },
            },
          ],
        }),
      );
      namespaceArn = created.idNamespaceArn;
      assert.equal(namespaceArn, `arn:aws:entityresolution:us-east-1:000000000000:idnamespace/${run}-source`);
      const got = await er.send(new GetIdNamespaceCommand({ idNamespaceName: `${run}-source` }));
      assert.equal(got.type, "SOURCE");
      assert.ok(got.createdAt instanceof Date);
    });

    it("refuses a namespace whose role does not trust entityresolution.amazonaws.com (AccessDeniedException)", async (t) => {
      if (!needs(t, "entityresolution", "CreateIdNamespace")) return;
      const iam = conforming(new IAMClient(config));
      const untrusted = JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "glue.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      });
      await iam.send(
        new CreateRoleCommand({ RoleName: `${run}-untrusted`, AssumeRolePolicyDocument: untrusted }),
      );
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: `${run}-untrusted`,
          PolicyName: "read-input",
          PolicyDocument: permissions(bucket, database, table),
        }),
      );
      const er = conforming(new EntityResolutionClient(config));
      await assert.rejects(
        er.send(
          new CreateIdNamespaceCommand({
            idNamespaceName: `${run}-untrusted`,
            type: "SOURCE",
            roleArn: `arn:aws:iam::000000000000:role/${run}-untrusted`,
            inputSourceConfig: [{ inputSourceARN: tableArn, schemaName: `${run}-crm` }],
          }),
        ),
        (error: Error & { $metadata: { httpStatusCode?: number } }) => {
          assert.equal(error.name, "AccessDeniedException");
          assert.equal(error.$metadata.httpStatusCode, 403);
          assert.match(error.message, /trust|entityresolution\.amazonaws\.com/i);
          return true;
        },
      );
    });
  });

  describe("Entity Resolution ID mapping jobs", () => {
    const workflowName = `${run}-wf`;

    it("maps SOURCE to TARGET in a background job with ER's metrics and output in S3", async (t) => {
      if (!needs(t, "entityresolution", "StartIdMappingJob") || !namespaceArn) return;
      const s3 = conforming(new S3Client({ ...config, forcePathStyle: true }));
      const graph = ["a@x.com", "b@x.com", "z@x.com"].map((email, i) => `amzn${i},${sha(email)}`).join("\n");
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: "graph/part-0.csv",
          Body: `amazon_id,email\n${graph}\n`,
        }),
      );
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: "crm/part-0.csv",
          Body: crmCsv(["a@x.com", "b@x.com", "c@x.com"]),
        }),
      );
      const glue = conforming(new GlueClient(config));
      await glue.send(
        new CreateTableCommand({
          DatabaseName: database,
          TableInput: {
            Name: "graph",
            Parameters: { classification: "csv" },
            StorageDescriptor: {
              Location: `s3://${bucket}/graph/`,
              Columns: [
                { Name: "amazon_id", Type: "string" },
                { Name: "email", Type: "string" },
              ],
            },
          },
        }),
      );
      const er = conforming(new EntityResolutionClient(config));
      await er.send(
        new CreateSchemaMappingCommand({
          schemaName: `${run}-graph`,
          mappedInputFields: [
            { fieldName: "amazon_id", type: "UNIQUE_ID" },
            { fieldName: "email", type: "EMAIL_ADDRESS", matchKey: "Email", hashed: true },
          ],
        }),
      );
      const target = await er.send(
        new CreateIdNamespaceCommand({
          idNamespaceName: `${run}-target`,
          type: "TARGET",
          roleArn,
          inputSourceConfig: [
            {
              inputSourceARN: `arn:aws:glue:us-east-1:000000000000:table/${database}/graph`,
              schemaName: `${run}-graph`,
            },
          ],
          idMappingWorkflowProperties: [
            {
              idMappingType: "RULE_BASED",
              ruleBasedProperties: {
                rules: [{ ruleName: "email", matchingKeys: ["Email"] }],
                ruleDefinitionTypes: ["TARGET"],
                attributeMatchingModel: "ONE_TO_ONE",
                recordMatchingModels: ["ONE_SOURCE_TO_ONE_TARGET"],
              },
            },
          ],
        }),
      );
      targetNamespaceArn = target.idNamespaceArn;
      await er.send(
        new CreateIdMappingWorkflowCommand({
          workflowName,
          roleArn,
          inputSourceConfig: [
            { inputSourceARN: namespaceArn, type: "SOURCE" },
            { inputSourceARN: target.idNamespaceArn, type: "TARGET" },
          ],
          outputSourceConfig: [{ outputS3Path: `s3://${bucket}/out/` }],
          idMappingTechniques: {
            idMappingType: "RULE_BASED",
            ruleBasedProperties: {
              ruleDefinitionType: "TARGET",
              attributeMatchingModel: "ONE_TO_ONE",
              recordMatchingModel: "ONE_SOURCE_TO_ONE_TARGET",
            },
          },
        }),
      );
      const started = await er.send(new StartIdMappingJobCommand({ workflowName }));
      assert.match(started.jobId ?? "", /^[0-9a-f]{32}$/);
      const job = await finished(er, workflowName, started.jobId ?? "");
      assert.equal(job.status, "SUCCEEDED", JSON.stringify(job.errorDetails));
      assert.equal(job.metrics?.inputRecords, 6);
      assert.equal(job.metrics?.totalMappedSourceRecords, 2);
      assert.ok(job.startTime instanceof Date && job.endTime instanceof Date);
      const output = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "out/" }));
      assert.ok((output.KeyCount ?? 0) > 0, "the job wrote its output under outputS3Path");
    });
  });

  describe("Clean Rooms", () => {
    it("associates both namespaces, creates ID mapping tables up to the quota of 5 and populates one", async (t) => {
      if (!needs(t, "cleanrooms", "PopulateIdMappingTable") || !namespaceArn || !targetNamespaceArn) return;
      const cr = conforming(new CleanRoomsClient(config));
      const er = conforming(new EntityResolutionClient(config));
      const { collaboration } = await cr.send(
        new CreateCollaborationCommand({
          name: `${run}-collab`,
          description: "wire test",
          members: [],
          creatorMemberAbilities: ["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
          creatorDisplayName: "advertiser",
          queryLogStatus: "DISABLED",
        }),
      );
      assert.match(collaboration?.id ?? "", /^[0-9a-f-]{36}$/);
      const { membership } = await cr.send(
        new CreateMembershipCommand({
          collaborationIdentifier: collaboration?.id,
          queryLogStatus: "DISABLED",
        }),
      );
      const membershipIdentifier = membership?.id ?? "";
      for (const [name, arn] of [
        ["source", namespaceArn],
        ["target", targetNamespaceArn],
      ] as const) {
        const { idNamespaceAssociation } = await cr.send(
          new CreateIdNamespaceAssociationCommand({
            membershipIdentifier,
            name: `${run}-${name}`,
            inputReferenceConfig: { inputReferenceArn: arn, manageResourcePolicies: true },
          }),
        );
        assert.equal(idNamespaceAssociation?.inputReferenceProperties?.idNamespaceType, name.toUpperCase());
      }
      const workflowArn = (await er.send(new GetIdMappingWorkflowCommand({ workflowName: `${run}-wf` })))
        .workflowArn;
      const tables: string[] = [];
      for (let i = 1; i <= 5; i++) {
        const { idMappingTable } = await cr.send(
          new CreateIdMappingTableCommand({
            membershipIdentifier,
            name: `${run}-table-${i}`,
            inputReferenceConfig: { inputReferenceArn: workflowArn, manageResourcePolicies: true },
          }),
        );
        tables.push(idMappingTable?.id ?? "");
      }
      await assert.rejects(
        cr.send(
          new CreateIdMappingTableCommand({
            membershipIdentifier,
            name: `${run}-table-6`,
            inputReferenceConfig: { inputReferenceArn: workflowArn, manageResourcePolicies: true },
          }),
        ),
        (
          error: Error & { $metadata: { httpStatusCode?: number }; quotaValue?: number; quotaName?: string },
        ) => {
          assert.equal(error.name, "ServiceQuotaExceededException");
          assert.equal(error.$metadata.httpStatusCode, 402);
          assert.equal(error.quotaValue, 5);
          return true;
        },
      );
      const populated = await cr.send(
        new PopulateIdMappingTableCommand({ membershipIdentifier, idMappingTableIdentifier: tables[0] }),
      );
      // A UUID in Clean Rooms' model; the ER job behind it has the same 32 hex digits (ER's JobId).
      const job = await finished(er, `${run}-wf`, (populated.idMappingJobId ?? "").replace(/-/g, ""));
      assert.equal(job.status, "SUCCEEDED", JSON.stringify(job.errorDetails));
      const table = await cr.send(
        new GetIdMappingTableCommand({ membershipIdentifier, idMappingTableIdentifier: tables[0] }),
      );
      assert.deepEqual(
        table.idMappingTable?.inputReferenceProperties?.idMappingTableInputSource?.map(
          (source) => source.type,
        ),
        ["SOURCE", "TARGET"],
      );
    });
  });

  describe("AMC admin API (the guide's ID mapping table steps 2-5 and table management)", () => {
    const amc = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(
        `${server.url}/amc/instances/${LOCAL_AMC.instanceId}/collaboration${path}`,
        {
          method,
          headers: {
            authorization: `Bearer ${server.amcToken}`,
            "amazon-advertising-api-clientid": LOCAL_AMC.clientId,
            "amazon-advertising-api-advertiserid": LOCAL_AMC.accountId,
            "amazon-advertising-api-marketplaceid": LOCAL_AMC.marketplaceId,
            accept: "application/vnd.amcinstances.v1+json",
            ...(body === undefined ? {} : { "content-type": "application/vnd.amcinstances.v1+json" }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        },
      );
      assert.equal(response.headers.get("content-type"), "application/vnd.amcinstances.v1+json");
      // biome-ignore lint/suspicious/noExplicitAny: AMC answers are read member by member.
      return { status: response.status, body: (await response.json()) as any };
    };
    const job = async (tableId: string, jobId: string) => {
      for (let i = 0; i < 800; i++) {
        const { body } = await amc("GET", `/idmappingtables/${tableId}/jobs/${jobId}`);
        if (body.status === "SUCCEEDED" || body.status === "FAILED") return body;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      assert.fail(`AMC job ${jobId} did not finish`);
    };
    let customerMembership = "";
    let firstTable = "";

    it("reads the collaboration, associates the SOURCE namespace in the customer's membership and lists it", async (t) => {
      if (!needs(t, "amc", "createCollaborationIdMappingTable") || !namespaceArn) return;
      const collaboration = await amc("GET", "");
      assert.equal(collaboration.status, 200);
      customerMembership = collaboration.body.customer.membershipId;
      assert.match(customerMembership, /^[0-9a-f-]{36}$/);
      const cr = conforming(new CleanRoomsClient(config));
      await cr.send(
        new CreateIdNamespaceAssociationCommand({
          membershipIdentifier: customerMembership,
          name: `${run}-amc-source`,
          inputReferenceConfig: { inputReferenceArn: namespaceArn, manageResourcePolicies: true },
        }),
      );
      const listed = await amc("POST", "/idnamespaces/list", {});
      assert.equal(listed.status, 200);
      assert.ok(
        listed.body.idNamespaces.some((n: { idNamespaceArn: string }) => n.idNamespaceArn === namespaceArn),
        "the associated SOURCE namespace is offered for a mapping table",
      );
    });

    it("creates an ID mapping table, whose job runs to SUCCEEDED, and refuses a refresh within 14 days", async (t) => {
      if (!needs(t, "amc", "createCollaborationIdMappingTable") || !customerMembership) return;
      const created = await amc("POST", "/idmappingtables", {
        idMappingTableName: `${run} crm`,
        sourceIdNamespaceArn: namespaceArn,
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      assert.ok(created.body.collaborationId && created.body.trackingId);
      firstTable = created.body.idMappingTable.id;
      const done = await job(firstTable, created.body.idMappingWorkflowJobId);
      assert.equal(done.status, "SUCCEEDED", JSON.stringify(done.errorDetails));
      assert.equal(done.metrics.inputRecords > 0, true);
      const refresh = await amc("POST", `/idmappingtables/${firstTable}/refresh`, {});
      assert.equal(refresh.status, 400);
      assert.equal(refresh.body.code, "BAD_REQUEST");
      assert.match(refresh.body.details, /14 days/);
    });

    it("refuses an ID mapping table over a schema mapping of more than 25 columns", async (t) => {
      if (!needs(t, "amc", "createCollaborationIdMappingTable") || !firstTable) return;
      const er = conforming(new EntityResolutionClient(config));
      const wide: SchemaInputAttribute[] = [
        { fieldName: "customer_id", type: "UNIQUE_ID" },
        ...Array.from(
          { length: 25 },
          (_, i): SchemaInputAttribute => ({
            fieldName: i === 0 ? "email" : `email_${i + 1}`,
            type: "EMAIL_ADDRESS",
            matchKey: "Email",
            hashed: true,
          }),
        ),
      ];
      await er.send(new CreateSchemaMappingCommand({ schemaName: `${run}-wide`, mappedInputFields: wide }));
      const { idNamespaceArn } = await er.send(
        new CreateIdNamespaceCommand({
          idNamespaceName: `${run}-wide`,
          type: "SOURCE",
          roleArn,
          inputSourceConfig: [{ inputSourceARN: tableArn, schemaName: `${run}-wide` }],
        }),
      );
      await conforming(new CleanRoomsClient(config)).send(
        new CreateIdNamespaceAssociationCommand({
          membershipIdentifier: customerMembership,
          name: `${run}-amc-wide`,
          inputReferenceConfig: { inputReferenceArn: idNamespaceArn, manageResourcePolicies: true },
        }),
      );
      const created = await amc("POST", "/idmappingtables", {
        idMappingTableName: `${run} wide`,
        sourceIdNamespaceArn: idNamespaceArn,
      });
      assert.equal(created.status, 400, JSON.stringify(created.body));
      assert.equal(created.body.code, "BAD_REQUEST");
      assert.match(created.body.details, /25/);
    });

    it("refuses a 6th ID mapping table in the instance", async (t) => {
      if (!needs(t, "amc", "createCollaborationIdMappingTable") || !firstTable) return;
      const er = conforming(new EntityResolutionClient(config));
      const cr = conforming(new CleanRoomsClient(config));
      const existing = (await amc("GET", "/idmappingtables")).body.idMappingTables.length as number;
      for (let i = existing + 1; i <= 6; i++) {
        const { idNamespaceArn } = await er.send(
          new CreateIdNamespaceCommand({
            idNamespaceName: `${run}-source-${i}`,
            type: "SOURCE",
            roleArn,
            inputSourceConfig: [{ inputSourceARN: tableArn, schemaName: `${run}-crm` }],
          }),
        );
        await cr.send(
          new CreateIdNamespaceAssociationCommand({
            membershipIdentifier: customerMembership,
            name: `${run}-amc-source-${i}`,
            inputReferenceConfig: { inputReferenceArn: idNamespaceArn, manageResourcePolicies: true },
          }),
        );
        const created = await amc("POST", "/idmappingtables", {
          idMappingTableName: `${run} crm ${i}`,
          sourceIdNamespaceArn: idNamespaceArn,
        });
        if (i < 6) {
          assert.equal(created.status, 200, JSON.stringify(created.body));
          await job(created.body.idMappingTable.id, created.body.idMappingWorkflowJobId);
        } else {
          assert.equal(created.status, 400);
          assert.equal(created.body.code, "BAD_REQUEST");
          assert.match(created.body.details, /maximum/);
        }
      }
    });

    it("deletes an ID mapping table", async (t) => {
      if (!needs(t, "amc", "deleteCollaborationIdMappingTable") || !firstTable) return;
      assert.equal((await amc("DELETE", `/idmappingtables/${firstTable}`)).status, 200);
      const gone = await amc("GET", `/idmappingtables/${firstTable}`);
      assert.equal(gone.status, 404);
      assert.equal(gone.body.code, "NOT_FOUND");
    });
  });

  describe("a job on a missing table", () => {
    const workflowName = `${run}-wf`;

    it("fails a job whose input Glue table is gone, saying which table", async (t) => {
      if (!needs(t, "entityresolution", "StartIdMappingJob") || !namespaceArn) return;
      await conforming(new GlueClient(config)).send(
        new DeleteTableCommand({ DatabaseName: database, Name: table }),
      );
      const er = conforming(new EntityResolutionClient(config));
      // ER accepts the start and the job fails when it reads its inputs, as on AWS.
      const started = await er.send(new StartIdMappingJobCommand({ workflowName }));
      const job = await finished(er, workflowName, started.jobId ?? "");
      assert.equal(job.status, "FAILED");
      const failure = job.errorDetails?.errorMessage ?? "";
      assert.match(failure, new RegExp(`${database}\\.${table}|table/${database}/${table}`));
    });
  });

  describe("Cloud Control", () => {
    it("creates, reads, updates and deletes an AWS::S3::Bucket, and refuses a patch of a create-only property", async () => {
      const client = conforming(new CloudControlClient(config));
      const name = `${run}-cc`;
      const created = await settle(
        client,
        (
          await client.send(
            new CreateResourceCommand({
              TypeName: "AWS::S3::Bucket",
              DesiredState: JSON.stringify({ BucketName: name }),
              ClientToken: `${run}-create`,
            }),
          )
        ).ProgressEvent,
      );
      assert.equal(created.OperationStatus, "SUCCESS", created.StatusMessage);
      assert.equal(created.Identifier, name);
      const read = await client.send(
        new GetResourceCommand({ TypeName: "AWS::S3::Bucket", Identifier: name }),
      );
      assert.equal(JSON.parse(read.ResourceDescription?.Properties ?? "{}").BucketName, name);

      const tagged = await settle(
        client,
        (
          await client.send(
            new UpdateResourceCommand({
              TypeName: "AWS::S3::Bucket",
              Identifier: name,
              PatchDocument: JSON.stringify([
                { op: "add", path: "/Tags", value: [{ Key: "stage", Value: "test" }] },
              ]),
            }),
          )
        ).ProgressEvent,
      );
      assert.equal(tagged.OperationStatus, "SUCCESS", tagged.StatusMessage);
      const afterUpdate = await client.send(
        new GetResourceCommand({ TypeName: "AWS::S3::Bucket", Identifier: name }),
      );
      assert.deepEqual(JSON.parse(afterUpdate.ResourceDescription?.Properties ?? "{}").Tags, [
        { Key: "stage", Value: "test" },
      ]);

      // Alchemy re-sends create-only properties as `add` with their current value: a no-op, not NotUpdatable.
      const unchanged = await settle(
        client,
        (
          await client.send(
            new UpdateResourceCommand({
              TypeName: "AWS::S3::Bucket",
              Identifier: name,
              PatchDocument: JSON.stringify([{ op: "add", path: "/BucketName", value: name }]),
            }),
          )
        ).ProgressEvent,
      );
      assert.equal(unchanged.OperationStatus, "SUCCESS", unchanged.StatusMessage);

      const renamed = await settle(
        client,
        (
          await client.send(
            new UpdateResourceCommand({
              TypeName: "AWS::S3::Bucket",
              Identifier: name,
              PatchDocument: JSON.stringify([{ op: "replace", path: "/BucketName", value: `${name}-other` }]),
            }),
          )
        ).ProgressEvent,
      );
      assert.equal(renamed.OperationStatus, "FAILED");
      assert.equal(renamed.ErrorCode, "NotUpdatable");

      const deleted = await settle(
        client,
        (await client.send(new DeleteResourceCommand({ TypeName: "AWS::S3::Bucket", Identifier: name })))
          .ProgressEvent,
      );
      assert.equal(deleted.OperationStatus, "SUCCESS", deleted.StatusMessage);
      await assert.rejects(
        client.send(new GetResourceCommand({ TypeName: "AWS::S3::Bucket", Identifier: name })),
        {
          name: "ResourceNotFoundException",
        },
      );
      // Alchemy recognises a missing resource only by this fully qualified __type.
      const raw = await signedFetch(server, "cloudcontrolapi", {
        headers: {
          "x-amz-target": "CloudApiService.GetResource",
          "content-type": "application/x-amz-json-1.0",
        },
        body: JSON.stringify({ TypeName: "AWS::S3::Bucket", Identifier: name }),
      });
      assert.equal(
        ((await raw.json()) as { __type: string }).__type,
        "com.amazon.cloudapiservice#ResourceNotFoundException",
      );
    });
  });
});
