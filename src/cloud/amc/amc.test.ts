import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { rejectsWith } from "../../../test/support/aws-error-assertions.ts";
import {
  CRM_TABLE_ARN,
  createNamespaces,
  ctx,
  type Fixture,
  openFixture,
  ROLE_ARN,
} from "../../../test/support/entity-resolution-fixture.ts";
import { createEntityResolution } from "../entity-resolution/index.ts";
import type { Operation } from "../service.ts";
import { createAmc, LOCAL_AMC, loadAmazonGraph, REFRESH_INTERVAL_MS, routes } from "./index.ts";

const instanceId = LOCAL_AMC.instanceId;

describe("AMC admin API", () => {
  let fixture: Fixture;
  let clock = Date.now();
  let amc: Record<string, Operation>;
  let customerMembershipId = "";
  const idle = async () => (await createEntityResolution(fixture.cloud.deps)).internals.idle();
  /**
   * A SOURCE namespace over the CRM, associated with the AMC collaboration as step 5 of Amazon Ads' AMC guide
   * "Bring identity data into the collaboration instance" says.
   */
  const associatedSource = async (suffix: string) => {
    const { sourceArn } = await createNamespaces(fixture.cloud, suffix);
    await fixture.cloud.services.cleanrooms!.operations.CreateIdNamespaceAssociation!(
      {
        membershipIdentifier: customerMembershipId,
        name: `crm${suffix}`,
        inputReferenceConfig: { inputReferenceArn: sourceArn, manageResourcePolicies: true },
      },
      ctx,
    );
    return sourceArn;
  };

  before(async () => {
    fixture = await openFixture({ people: 300, crm: 80, seed: 7 });
    amc = (await createAmc(fixture.cloud.deps, { people: 200, seed: 3, now: () => clock })).service
      .operations;
  });
  after(async () => {
    await fixture.cleanup();
  });

  test("routes follow the AMC Administration API's paths", () => {
    assert.ok(
      routes.some((r) => r.method === "GET" && r.path === "/amc/instances/{instanceId}/collaboration"),
    );
    assert.ok(
      routes.some(
        (r) =>
          r.method === "POST" &&
          r.path === "/amc/instances/{instanceId}/collaboration/idmappingtables/{idMappingTableId}/refresh",
      ),
    );
    for (const route of routes) assert.ok(amc[route.operation], `${route.operation} is implemented`);
  });

  test("the built-in collaboration: Amazon creates it, the advertiser is an active member", async () => {
    const collaboration = await amc.getCollaboration!({ instanceId }, ctx);
    assert.equal(collaboration["name"], "Amazon Marketing Cloud");
    assert.equal(collaboration["status"], "ACTIVE");
    assert.equal(collaboration["creator"].accountId, LOCAL_AMC.awsAccountId);
    assert.equal(collaboration["customer"].accountId, ctx.accountId);
    customerMembershipId = collaboration["customer"].membershipId;
    const cr = fixture.cloud.services.cleanrooms!.operations;
    const membership = await cr.GetMembership!({ membershipIdentifier: customerMembershipId }, ctx);
    assert.equal(membership["membership"].collaborationId, collaboration["id"]);
    // Amazon's TARGET namespace is associated on Amazon's side of the collaboration.
    const associations = await cr.ListCollaborationIdNamespaceAssociations!(
      { collaborationIdentifier: collaboration["id"] },
      ctx,
    );
    assert.deepEqual(
      associations["collaborationIdNamespaceAssociationSummaries"].map(
        (a: { inputReferenceProperties: { idNamespaceType: string } }) =>
          a.inputReferenceProperties.idNamespaceType,
      ),
      ["TARGET"],
    );
    await rejectsWith(amc.getCollaboration!({ instanceId: "amcunknown" }, ctx), {
      code: "NOT_FOUND",
      status: 404,
    });
  });

  test("create an ID mapping table from an association: the graph is generated on first use, the job succeeds", async () => {
    const sourceArn = await associatedSource("-amc1");
    const listed = await amc.listCollaborationIdNamespaces!({ instanceId }, ctx);
    assert.deepEqual(
      listed["idNamespaces"].map((n: { idNamespaceArn: string }) => n.idNamespaceArn),
      [sourceArn],
    );
    const created = await amc.createCollaborationIdMappingTable!(
      { instanceId, idMappingTableName: "crm_mapping", sourceIdNamespaceArn: sourceArn },
      ctx,
    );
    assert.match(created["idMappingWorkflowJobId"], /^[0-9a-f]{32}$/);
    assert.ok(created["trackingId"]);
    assert.equal(created["idMappingTable"].name, "crm_mapping");
    assert.match(
      created["idMappingTable"].workflowArn,
      /^arn:aws:entityresolution:us-east-1:999999999999:idmappingworkflow\//,
    );
    await idle();
    const tableId = created["idMappingTable"].id;
    const job = await amc.getCollaborationIdMappingJob!(
      { instanceId, idMappingTableId: tableId, jobId: created["idMappingWorkflowJobId"] },
      ctx,
    );
    assert.equal(job["status"], "SUCCEEDED", JSON.stringify(job["errorDetails"]));
    assert.ok(job["metrics"].inputRecords > 0);
    const table = await amc.getCollaborationIdMappingTable!({ instanceId, idMappingTableId: tableId }, ctx);
    assert.equal(table["idMappingTable"].queryable, true);
    const tracker = await amc.getCollaborationJobTracker!(
      { instanceId, trackingId: created["trackingId"] },
      ctx,
    );
    assert.equal(tracker["status"], "SUCCEEDED");
    // The namespace now backs a table: it is no longer offered, and cannot back a second one.
    assert.equal((await amc.listCollaborationIdNamespaces!({ instanceId }, ctx))["idNamespaces"].length, 0);
    await rejectsWith(
      amc.createCollaborationIdMappingTable!(
        { instanceId, idMappingTableName: "again", sourceIdNamespaceArn: sourceArn },
        ctx,
      ),
      { code: "CONFLICT", status: 409 },
    );
  });

  test("refresh at most once per 14 days", async () => {
    const [table] = (await amc.listCollaborationIdMappingTables!({ instanceId }, ctx))["idMappingTables"];
    await rejectsWith(
      amc.refreshCollaborationIdMappingTable!({ instanceId, idMappingTableId: table.id }, ctx),
      { code: "BAD_REQUEST", status: 400, message: /at most once in 14 days/ },
    );
    clock += REFRESH_INTERVAL_MS + 1000;
    const refreshed = await amc.refreshCollaborationIdMappingTable!(
      { instanceId, idMappingTableId: table.id },
      ctx,
    );
    assert.match(refreshed["idMappingWorkflowJobId"], /^[0-9a-f]{32}$/);
    await idle();
    const jobs = await amc.listCollaborationIdMappingJobs!({ instanceId, idMappingTableId: table.id }, ctx);
    assert.deepEqual(
      jobs["jobs"].map((j: { status: string }) => j.status),
      ["SUCCEEDED", "SUCCEEDED"],
    );
  });

  test("a namespace not associated with the collaboration, or a TARGET one, is refused; 5 tables per instance", async () => {
    const { sourceArn: loose } = await createNamespaces(fixture.cloud, "-loose");
    await rejectsWith(
      amc.createCollaborationIdMappingTable!(
        { instanceId, idMappingTableName: "loose", sourceIdNamespaceArn: loose },
        ctx,
      ),
      { code: "BAD_REQUEST", status: 400, message: /not associated/ },
    );
    await rejectsWith(
      amc.createCollaborationIdMappingTable!(
        { instanceId, idMappingTableName: "bad-name-", sourceIdNamespaceArn: loose },
        ctx,
      ),
      { code: "BAD_REQUEST", status: 400, message: /idMappingTableName/ },
    );
    // The AMC guide: at most 25 columns (1 unique id + 24 identity columns) in a schema mapping.
    const er = fixture.cloud.services.entityresolution!.operations;
    const wideFields = [
      { fieldName: "customer_id", type: "UNIQUE_ID" },
      ...Array.from({ length: 25 }, (_, i) => ({
        fieldName: `email_${i}`,
        type: "EMAIL_ADDRESS",
        matchKey: "Email",
      })),
    ];
    await er.CreateSchemaMapping!({ schemaName: "wide", mappedInputFields: wideFields }, ctx);
    const wide = await er.CreateIdNamespace!(
      {
        idNamespaceName: "wide",
        type: "SOURCE",
        inputSourceConfig: [{ inputSourceARN: CRM_TABLE_ARN, schemaName: "wide" }],
        roleArn: ROLE_ARN,
      },
      ctx,
    );
    await fixture.cloud.services.cleanrooms!.operations.CreateIdNamespaceAssociation!(
      {
        membershipIdentifier: customerMembershipId,
        name: "wide",
        inputReferenceConfig: { inputReferenceArn: wide["idNamespaceArn"], manageResourcePolicies: true },
      },
      ctx,
    );
    await rejectsWith(
      amc.createCollaborationIdMappingTable!(
        { instanceId, idMappingTableName: "wide", sourceIdNamespaceArn: wide["idNamespaceArn"] },
        ctx,
      ),
      { code: "BAD_REQUEST", status: 400, message: /26 fields; AMC supports at most 25/ },
    );
    // Use the graph the CRM was synthesized with, as the demo does.
    await loadAmazonGraph(fixture.cloud.deps, { targetFile: fixture.synthetic.targetFile });
    for (let i = 2; i <= 5; i++) {
      const sourceArn = await associatedSource(`-amc${i}`);
      await amc.createCollaborationIdMappingTable!(
        { instanceId, idMappingTableName: `table_${i}`, sourceIdNamespaceArn: sourceArn },
        ctx,
      );
      await idle();
    }
    const sixth = await associatedSource("-amc6");
    await rejectsWith(
      amc.createCollaborationIdMappingTable!(
        { instanceId, idMappingTableName: "table_6", sourceIdNamespaceArn: sixth },
        ctx,
      ),
      { code: "BAD_REQUEST", status: 400, message: /maximum/ },
    );
    const tables = (await amc.listCollaborationIdMappingTables!({ instanceId }, ctx))["idMappingTables"];
    assert.equal(tables.length, 5);
    await amc.deleteCollaborationIdMappingTable!({ instanceId, idMappingTableId: tables[4].id }, ctx);
    await rejectsWith(
      amc.getCollaborationIdMappingTable!({ instanceId, idMappingTableId: tables[4].id }, ctx),
      { code: "NOT_FOUND", status: 404 },
    );
    const created = await amc.createCollaborationIdMappingTable!(
      { instanceId, idMappingTableName: "table_6", sourceIdNamespaceArn: sixth },
      ctx,
    );
    await idle();
    const job = await amc.getCollaborationIdMappingJob!(
      {
        instanceId,
        idMappingTableId: created["idMappingTable"].id,
        jobId: created["idMappingWorkflowJobId"],
      },
      ctx,
    );
    assert.equal(job["status"], "SUCCEEDED");
    assert.ok(
      job["metrics"].totalMappedSourceRecords > 0,
      "the CRM maps onto the graph it was synthesized with",
    );
  });
});
