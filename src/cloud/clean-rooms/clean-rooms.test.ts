import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { rejectsWith } from "../../../test/support/aws-error-assertions.ts";
import {
  createNamespaces,
  ctx,
  type Fixture,
  openFixture,
  workflowInput,
} from "../../../test/support/entity-resolution-fixture.ts";
import { IdMappingTableResource } from "../../schemas/clean-rooms/id-mapping-table.ts";
import { IdNamespaceAssociationResource } from "../../schemas/clean-rooms/id-namespace-association.ts";
import { createEntityResolution } from "../entity-resolution/index.ts";
import type { RequestContext } from "../service.ts";
import { createCleanRooms } from "./index.ts";

const PARTNER: RequestContext = { ...ctx, accountId: "111111111111" };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("Clean Rooms", () => {
  let fixture: Fixture;
  const cr = () => fixture.cloud.services.cleanrooms!.operations;
  const er = () => fixture.cloud.services.entityresolution!.operations;
  let membershipId = "";
  let collaborationId = "";
  before(async () => {
    fixture = await openFixture();
    const created = await cr().CreateCollaboration!(
      {
        name: "partner collab",
        description: "test",
        creatorDisplayName: "Partner",
        creatorMemberAbilities: ["CAN_QUERY"],
        members: [{ accountId: ctx.accountId, displayName: "Us", memberAbilities: [] }],
        queryLogStatus: "DISABLED",
      },
      PARTNER,
    );
    collaborationId = created["collaboration"].id;
    const membership = await cr().CreateMembership!(
      { collaborationIdentifier: collaborationId, queryLogStatus: "DISABLED" },
      ctx,
    );
    membershipId = membership["membership"].id;
  });
  after(async () => {
    await fixture.cleanup();
  });

  test("collaborations and memberships: ids, ARNs, statuses, access", async () => {
    assert.match(collaborationId, UUID);
    const collaboration = (await cr().GetCollaboration!({ collaborationIdentifier: collaborationId }, ctx))[
      "collaboration"
    ];
    assert.equal(
      collaboration.arn,
      `arn:aws:cleanrooms:us-east-1:111111111111:collaboration/${collaborationId}`,
    );
    assert.equal(collaboration.memberStatus, "ACTIVE");
    assert.equal(collaboration.membershipId, membershipId);
    const membership = (await cr().GetMembership!({ membershipIdentifier: membershipId }, ctx))["membership"];
    assert.equal(membership.arn, `arn:aws:cleanrooms:us-east-1:000000000000:membership/${membershipId}`);
    assert.equal(membership.status, "ACTIVE");
    assert.equal(membership.collaborationCreatorAccountId, "111111111111");
    await rejectsWith(
      cr().CreateMembership!({ collaborationIdentifier: collaborationId, queryLogStatus: "DISABLED" }, ctx),
      { code: "ConflictException", status: 409 },
    );
    await rejectsWith(cr().GetMembership!({ membershipIdentifier: membershipId }, PARTNER), {
      code: "ResourceNotFoundException",
      status: 404,
    });
    await rejectsWith(
      cr().GetCollaboration!(
        { collaborationIdentifier: collaborationId },
        { ...ctx, accountId: "222222222222" },
      ),
      { code: "AccessDeniedException", status: 403 },
    );
    const listed = await cr().ListMemberships!({}, ctx);
    assert.ok(listed["membershipSummaries"].some((m: { id: string }) => m.id === membershipId));
    await rejectsWith(
      cr().CreateCollaboration!(
        {
          name: "x",
          description: "y",
          creatorDisplayName: "z",
          creatorMemberAbilities: [],
          members: [],
          queryLogStatus: "MAYBE",
        },
        ctx,
      ),
      { code: "ValidationException", status: 400, message: /queryLogStatus/ },
    );
  });

  test("ID namespace associations: ARNs, collaboration view, 10 per membership (402 on the 11th)", async () => {
    const arns: string[] = [];
    for (let i = 0; i < 11; i++) arns.push((await createNamespaces(fixture.cloud, `-assoc${i}`)).sourceArn);
    // Eleven creates at once: the quota holds under concurrency, exactly ten are made.
    const settled = await Promise.allSettled(
      arns.map((arn, i) =>
        cr().CreateIdNamespaceAssociation!(
          {
            membershipIdentifier: membershipId,
            name: `ns ${i}`,
            inputReferenceConfig: { inputReferenceArn: arn, manageResourcePolicies: true },
          },
          ctx,
        ),
      ),
    );
    const rejected = settled.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    assert.equal(rejected.length, 1, "exactly one of eleven concurrent creates is refused");
    assert.equal(rejected[0]!.reason.code, "ServiceQuotaExceededException");
    assert.equal(rejected[0]!.reason.status, 402);
    const ids: string[] = [];
    for (const result of settled) {
      if (result.status !== "fulfilled") continue;
      const association = result.value["idNamespaceAssociation"];
      assert.equal(
        association.arn,
        `arn:aws:cleanrooms:us-east-1:000000000000:membership/${membershipId}/idnamespaceassociation/${association.id}`,
      );
      assert.equal(association.inputReferenceProperties.idNamespaceType, "SOURCE");
      ids.push(association.id);
    }
    const seen = await cr().ListCollaborationIdNamespaceAssociations!(
      { collaborationIdentifier: collaborationId },
      PARTNER,
    );
    assert.equal(seen["collaborationIdNamespaceAssociationSummaries"].length, 10);
    const one = await cr().GetCollaborationIdNamespaceAssociation!(
      { collaborationIdentifier: collaborationId, idNamespaceAssociationIdentifier: ids[0] },
      PARTNER,
    );
    assert.equal(one["collaborationIdNamespaceAssociation"].creatorAccountId, ctx.accountId);
    await cr().UpdateIdNamespaceAssociation!(
      {
        membershipIdentifier: membershipId,
        idNamespaceAssociationIdentifier: ids[0],
        description: "updated",
      },
      ctx,
    );
    for (const id of ids)
      await cr().DeleteIdNamespaceAssociation!(
        { membershipIdentifier: membershipId, idNamespaceAssociationIdentifier: id },
        ctx,
      );
    assert.equal(
      (await cr().ListIdNamespaceAssociations!({ membershipIdentifier: membershipId }, ctx))[
        "idNamespaceAssociationSummaries"
      ].length,
      0,
    );
  });

  test("ID mapping tables: inputs must be associated, 5 per membership (402 on the 6th), populate runs the ER job", async () => {
    const { sourceArn, targetArn } = await createNamespaces(fixture.cloud, "-tables");
    const workflow = await er().CreateIdMappingWorkflow!(
      workflowInput("tables-wf", sourceArn, targetArn),
      ctx,
    );
    const tableInput = (name: string) => ({
      membershipIdentifier: membershipId,
      name,
      inputReferenceConfig: { inputReferenceArn: workflow["workflowArn"], manageResourcePolicies: true },
    });
    await rejectsWith(cr().CreateIdMappingTable!(tableInput("early"), ctx), {
      code: "ValidationException",
      status: 400,
      message: /not an ID namespace associated/,
    });
    for (const [name, arn] of [
      ["source", sourceArn],
      ["target", targetArn],
    ]) {
      await cr().CreateIdNamespaceAssociation!(
        {
          membershipIdentifier: membershipId,
          name,
          inputReferenceConfig: { inputReferenceArn: arn, manageResourcePolicies: true },
        },
        ctx,
      );
    }
    // Six creates at once: the quota holds under concurrency, exactly five are made.
    const settled = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => cr().CreateIdMappingTable!(tableInput(`table_${i}`), ctx)),
    );
    const rejected = settled.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    assert.equal(rejected.length, 1);
    assert.equal(rejected[0]!.reason.code, "ServiceQuotaExceededException");
    assert.equal(rejected[0]!.reason.status, 402);
    const tables: string[] = [];
    for (const result of settled) {
      if (result.status !== "fulfilled") continue;
      const table = result.value["idMappingTable"];
      assert.equal(
        table.arn,
        `arn:aws:cleanrooms:us-east-1:000000000000:membership/${membershipId}/idmappingtable/${table.id}`,
      );
      assert.deepEqual(
        table.inputReferenceProperties.idMappingTableInputSource.map((s: { type: string }) => s.type),
        ["SOURCE", "TARGET"],
      );
      tables.push(table.id);
    }
    await rejectsWith(cr().CreateIdMappingTable!(tableInput("table_7"), ctx), {
      code: "ServiceQuotaExceededException",
      status: 402,
    });
    const populated = await cr().PopulateIdMappingTable!(
      { membershipIdentifier: membershipId, idMappingTableIdentifier: tables[0] },
      ctx,
    );
    // Clean Rooms' model: a UUID; the ER job behind it has the same 32 hex digits (ER's JobId pattern).
    assert.match(
      populated["idMappingJobId"],
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    await (await createEntityResolution(fixture.cloud.deps)).internals.idle();
    const job = await er().GetIdMappingJob!(
      { workflowName: "tables-wf", jobId: populated["idMappingJobId"].replace(/-/g, "") },
      ctx,
    );
    assert.equal(job["status"], "SUCCEEDED");
    await rejectsWith(
      cr().DeleteIdNamespaceAssociation!(
        {
          membershipIdentifier: membershipId,
          idNamespaceAssociationIdentifier: (
            await cr().GetIdMappingTable!(
              { membershipIdentifier: membershipId, idMappingTableIdentifier: tables[0] },
              ctx,
            )
          )["idMappingTable"].inputReferenceProperties.idMappingTableInputSource[0].idNamespaceAssociationId,
        },
        ctx,
      ),
      { code: "ConflictException", status: 409 },
    );
    for (const id of tables)
      await cr().DeleteIdMappingTable!(
        { membershipIdentifier: membershipId, idMappingTableIdentifier: id },
        ctx,
      );
    await rejectsWith(
      cr().GetIdMappingTable!(
        { membershipIdentifier: membershipId, idMappingTableIdentifier: tables[0] },
        ctx,
      ),
      { code: "ResourceNotFoundException", status: 404 },
    );
  });

  test("Cloud Control providers: IdNamespaceAssociation and IdMappingTable round-trip CloudFormation models", async () => {
    const { sourceArn, targetArn } = await createNamespaces(fixture.cloud, "-cfn");
    const workflow = await er().CreateIdMappingWorkflow!(workflowInput("cfn-wf", sourceArn, targetArn), ctx);
    const providers = (await createCleanRooms(fixture.cloud.deps)).providers;
    const association = providers.find((p) => p.type === IdNamespaceAssociationResource)!;
    const table = providers.find((p) => p.type === IdMappingTableResource)!;
    const identifiers: string[] = [];
    for (const [name, arn] of [
      ["cfn source", sourceArn],
      ["cfn target", targetArn],
    ]) {
      const created = await association.create(
        {
          MembershipIdentifier: membershipId,
          Name: name,
          InputReferenceConfig: { InputReferenceArn: arn, ManageResourcePolicies: true },
        },
        ctx,
      );
      assert.match(created.identifier, new RegExp(`^[0-9a-f-]{36}\\|${membershipId}$`));
      identifiers.push(created.identifier);
    }
    const created = await table.create(
      {
        MembershipIdentifier: membershipId,
        Name: "cfn_table",
        InputReferenceConfig: { InputReferenceArn: workflow["workflowArn"], ManageResourcePolicies: true },
        Tags: [{ Key: "team", Value: "ads" }],
      },
      ctx,
    );
    assert.equal(
      (created.model["InputReferenceProperties"] as { IdMappingTableInputSource: unknown[] })
        .IdMappingTableInputSource.length,
      2,
    );
    const updated = await table.update(
      created.identifier,
      {
        MembershipIdentifier: membershipId,
        Name: "cfn_table",
        Description: "now described",
        InputReferenceConfig: { InputReferenceArn: workflow["workflowArn"], ManageResourcePolicies: true },
      },
      ctx,
    );
    assert.equal(updated["Description"], "now described");
    assert.equal(updated["Tags"], undefined);
    assert.equal((await table.list(ctx, { MembershipIdentifier: membershipId })).length, 1);
    await table.delete(created.identifier, ctx);
    assert.equal(await table.read(created.identifier, ctx), undefined);
    await rejectsWith(table.delete(created.identifier, ctx), {
      code: "ResourceNotFoundException",
      status: 404,
    });
    for (const id of identifiers) await association.delete(id, ctx);
  });
});

describe("Clean Rooms Cloud Control providers: Collaboration and Membership", () => {
  let fixture: Fixture;
  before(async () => {
    fixture = await openFixture({ people: 20, crm: 5 });
  });
  after(async () => {
    await fixture.cleanup();
  });

  test("create, read (members included), update, list, delete", async () => {
    const providers = (await createCleanRooms(fixture.cloud.deps)).providers;
    const collaborations = providers.find((p) => p.type.typeName === "AWS::CleanRooms::Collaboration")!;
    const memberships = providers.find((p) => p.type.typeName === "AWS::CleanRooms::Membership")!;
    const desired = {
      Name: "cfn collab",
      Description: "made by Cloud Control",
      CreatorDisplayName: "Us",
      CreatorMemberAbilities: ["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
      Members: [{ AccountId: "111111111111", DisplayName: "Partner", MemberAbilities: [] }],
      QueryLogStatus: "DISABLED",
      Tags: [{ Key: "team", Value: "ads" }],
    };
    const created = await collaborations.create(desired, ctx);
    assert.match(created.identifier, UUID);
    assert.deepEqual(created.model["CreatorMemberAbilities"], desired.CreatorMemberAbilities);
    assert.deepEqual(
      (created.model["Members"] as Array<{ AccountId: string }>).map((m) => m.AccountId),
      ["111111111111"],
    );
    assert.deepEqual(created.model["Tags"], desired.Tags);
    const membership = await memberships.create(
      { CollaborationIdentifier: created.identifier, QueryLogStatus: "ENABLED" },
      ctx,
    );
    assert.equal(membership.model["CollaborationArn"], created.model["Arn"]);
    const updated = await memberships.update(
      membership.identifier,
      { CollaborationIdentifier: created.identifier, QueryLogStatus: "DISABLED" },
      ctx,
    );
    assert.equal(updated["QueryLogStatus"], "DISABLED");
    const renamed = await collaborations.update(
      created.identifier,
      { ...desired, Name: "renamed", Tags: [] },
      ctx,
    );
    assert.equal(renamed["Name"], "renamed");
    assert.equal(renamed["Tags"], undefined);
    assert.equal((await collaborations.list(ctx)).length, 1);
    await memberships.delete(membership.identifier, ctx);
    await collaborations.delete(created.identifier, ctx);
    assert.equal(await collaborations.read(created.identifier, ctx), undefined);
  });
});

describe("CloudFormation schemas", () => {
  test("InputReferenceConfig in the seed docs' wrong shapes names the right one", () => {
    const base = { MembershipIdentifier: "6610c9aa-9002-475c-8695-d833485741bc", Name: "t" };
    for (const wrong of [
      { ReferenceType: "ID_MAPPING_WORKFLOW", ReferenceValues: ["arn"] },
      { referenceArn: "arn" },
    ]) {
      const result = IdMappingTableResource.props.safeParse({ ...base, InputReferenceConfig: wrong });
      assert.equal(result.success, false);
      const messages = result.error!.issues.map((issue) => issue.message).join("\n");
      assert.match(
        messages,
        /InputReferenceConfig must be \{ InputReferenceArn: .*, ManageResourcePolicies: boolean \}/,
      );
      assert.match(messages, new RegExp(Object.keys(wrong)[0]!));
      const association = IdNamespaceAssociationResource.props.safeParse({
        ...base,
        InputReferenceConfig: wrong,
      });
      assert.match(
        association.error!.issues.map((i) => i.message).join("\n"),
        /InputReferenceArn: <Entity Resolution ID namespace ARN>/,
      );
    }
    assert.ok(
      IdMappingTableResource.props.safeParse({
        ...base,
        InputReferenceConfig: {
          InputReferenceArn: "arn:aws:entityresolution:us-east-1:000000000000:idmappingworkflow/w",
          ManageResourcePolicies: true,
        },
      }).success,
    );
  });
});
