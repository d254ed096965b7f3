/**
 * Cloud Control updates of the Entity Resolution and Clean Rooms types reach the service: a patch of
 * an updatable property shows in GetResource and in the service's own Get; what the service's update
 * operation cannot change (src/schemas/deviations.ts UPDATE_GAPS) answers NotUpdatable and changes
 * nothing; the service's own refusals (a schema mapping in use) come back as their HandlerErrorCode.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { rejectsWith } from "../../../test/support/aws-error-assertions.ts";
import {
  CRM_TABLE_ARN,
  createNamespaces,
  ctx,
  type Fixture,
  GRAPH_TABLE_ARN,
  openFixture,
  ROLE_ARN,
  workflowInput,
} from "../../../test/support/entity-resolution-fixture.ts";
import { crmSchema } from "../../synth/index.ts";
import type { ApiObject } from "../kit/shapes.ts";
import type { Operation } from "../service.ts";

type Ops = Readonly<Record<string, Operation>>;

describe("Cloud Control updates of Entity Resolution and Clean Rooms types reach the service", () => {
  let fixture: Fixture;
  const cc = (): Ops => fixture.cloud.services.cloudcontrolapi!.operations;
  const er = (): Ops => fixture.cloud.services.entityresolution!.operations;
  const cr = (): Ops => fixture.cloud.services.cleanrooms!.operations;

  async function waitFor(requestToken: string) {
    for (;;) {
      const { ProgressEvent } = await cc().GetResourceRequestStatus!({ RequestToken: requestToken }, ctx);
      if (!["PENDING", "IN_PROGRESS"].includes(ProgressEvent.OperationStatus)) return ProgressEvent;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  async function create(TypeName: string, desired: object): Promise<string> {
    const { ProgressEvent } = await cc().CreateResource!(
      { TypeName, DesiredState: JSON.stringify(desired) },
      ctx,
    );
    const done = await waitFor(ProgressEvent.RequestToken);
    assert.equal(done.OperationStatus, "SUCCESS", `${TypeName} create: ${done.StatusMessage}`);
    return done.Identifier as string;
  }
  async function update(TypeName: string, Identifier: string, patch: object[]) {
    const { ProgressEvent } = await cc().UpdateResource!(
      { TypeName, Identifier, PatchDocument: JSON.stringify(patch) },
      ctx,
    );
    return waitFor(ProgressEvent.RequestToken);
  }
  async function updated(TypeName: string, Identifier: string, patch: object[]) {
    const event = await update(TypeName, Identifier, patch);
    assert.equal(event.OperationStatus, "SUCCESS", `${TypeName} update: ${event.StatusMessage}`);
    return properties(TypeName, Identifier);
  }
  async function refused(
    TypeName: string,
    Identifier: string,
    patch: object[],
    code: string,
    message: RegExp,
  ) {
    const before = await properties(TypeName, Identifier);
    const event = await update(TypeName, Identifier, patch);
    assert.equal(event.OperationStatus, "FAILED");
    assert.equal(event.ErrorCode, code, event.StatusMessage);
    assert.match(event.StatusMessage, message);
    assert.deepEqual(await properties(TypeName, Identifier), before, "a refused update changes nothing");
  }
  async function properties(TypeName: string, Identifier: string): Promise<ApiObject> {
    const { ResourceDescription } = await cc().GetResource!({ TypeName, Identifier }, ctx);
    return JSON.parse(ResourceDescription.Properties);
  }

  /** A second role with the trust and inline policies of `from` (what ER needs to read the fixture's tables). */
  async function roleLike(from: string, name: string): Promise<string> {
    const iam = fixture.cloud.services.iam!.operations;
    const role = await iam.GetRole!({ RoleName: from }, ctx);
    await iam.CreateRole!(
      { RoleName: name, AssumeRolePolicyDocument: decodeURIComponent(role["Role"].AssumeRolePolicyDocument) },
      ctx,
    );
    const policy = await iam.GetRolePolicy!({ RoleName: from, PolicyName: "read" }, ctx);
    await iam.PutRolePolicy!(
      { RoleName: name, PolicyName: "read", PolicyDocument: decodeURIComponent(policy["PolicyDocument"]) },
      ctx,
    );
    return ROLE_ARN.replace(/role\/.*$/, `role/${name}`);
  }

  before(async () => {
    fixture = await openFixture({ people: 20, crm: 5 });
  });
  after(async () => {
    await fixture.cleanup();
  });

  test("SchemaMapping: UpdateSchemaMapping refuses while an ID namespace uses the mapping (ConflictException 400 -> ResourceConflict); HasWorkflows says so", async () => {
    const type = "AWS::EntityResolution::SchemaMapping";
    const crm = crmSchema();
    const fields = crm.mappedInputFields.map((field) =>
      Object.fromEntries(
        Object.entries(field).map(([key, value]) => [key.charAt(0).toUpperCase() + key.slice(1), value]),
      ),
    );
    const id = await create(type, { SchemaName: "in-use", MappedInputFields: fields });
    assert.equal((await properties(type, id)).HasWorkflows, false);
    await er().CreateIdNamespace!(
      {
        idNamespaceName: "uses-in-use",
        type: "SOURCE",
        inputSourceConfig: [{ inputSourceARN: CRM_TABLE_ARN, schemaName: "in-use" }],
        roleArn: ROLE_ARN,
      },
      ctx,
    );
    assert.equal((await properties(type, id)).HasWorkflows, true);
    // botocore entityresolution/2018-05-10: UpdateSchemaMapping's ConflictException has httpStatusCode 400.
    await rejectsWith(
      er().UpdateSchemaMapping!(
        { schemaName: "in-use", description: "x", mappedInputFields: crm.mappedInputFields },
        ctx,
      ),
      { code: "ConflictException", status: 400 },
    );
    await refused(
      type,
      id,
      [{ op: "add", path: "/Description", value: "changed" }],
      "ResourceConflict",
      /in-use is used by a workflow or ID namespace/,
    );
    // Tags go through TagResource, which a mapping in use still takes.
    const tagged = await updated(type, id, [{ op: "add", path: "/Tags", value: [{ Key: "k", Value: "v" }] }]);
    assert.deepEqual(tagged.Tags, [{ Key: "k", Value: "v" }]);
    await er().DeleteIdNamespace!({ idNamespaceName: "uses-in-use" }, ctx);
    const free = await updated(type, id, [{ op: "add", path: "/Description", value: "changed" }]);
    assert.equal(free.Description, "changed");
    assert.equal(free.HasWorkflows, false);
    assert.equal((await er().GetSchemaMapping!({ schemaName: "in-use" }, ctx))["description"], "changed");
  });

  test("IdNamespace: Description, RoleArn, InputSourceConfig and IdMappingWorkflowProperties reach UpdateIdNamespace; Type is NotUpdatable", async () => {
    const type = "AWS::EntityResolution::IdNamespace";
    await createNamespaces(fixture.cloud, "-ns");
    const id = await create(type, {
      IdNamespaceName: "cc-ns",
      Type: "TARGET",
      RoleArn: ROLE_ARN,
      InputSourceConfig: [{ InputSourceARN: CRM_TABLE_ARN, SchemaName: "crm-ns" }],
      IdMappingWorkflowProperties: [
        {
          IdMappingType: "RULE_BASED",
          RuleBasedProperties: {
            Rules: [{ RuleName: "email", MatchingKeys: ["Email"] }],
            RuleDefinitionTypes: ["TARGET"],
            AttributeMatchingModel: "ONE_TO_ONE",
            RecordMatchingModels: ["ONE_SOURCE_TO_ONE_TARGET"],
          },
        },
      ],
    });
    const rules = {
      Rules: [
        { RuleName: "email", MatchingKeys: ["Email"] },
        { RuleName: "phone", MatchingKeys: ["Phone"] },
      ],
      RuleDefinitionTypes: ["TARGET"],
      AttributeMatchingModel: "MANY_TO_MANY",
      RecordMatchingModels: ["MANY_SOURCE_TO_ONE_TARGET"],
    };
    const otherRole = await roleLike("er-reader", "er-reader-2");
    const graph = { InputSourceARN: GRAPH_TABLE_ARN, SchemaName: "graph-ns" };
    const model = await updated(type, id, [
      { op: "add", path: "/Description", value: "now described" },
      { op: "replace", path: "/IdMappingWorkflowProperties/0/RuleBasedProperties", value: rules },
      { op: "replace", path: "/RoleArn", value: otherRole },
      { op: "add", path: "/InputSourceConfig/-", value: graph },
    ]);
    assert.equal(model.Description, "now described");
    assert.deepEqual(model.IdMappingWorkflowProperties[0].RuleBasedProperties, rules);
    assert.equal(model.RoleArn, otherRole);
    assert.deepEqual(model.InputSourceConfig[1], graph);
    const api = await er().GetIdNamespace!({ idNamespaceName: "cc-ns" }, ctx);
    assert.equal(api["description"], "now described");
    assert.equal(api["roleArn"], otherRole);
    assert.equal(api["inputSourceConfig"].length, 2);
    assert.deepEqual(
      api["idMappingWorkflowProperties"][0].ruleBasedProperties.rules.map(
        (r: { ruleName: string }) => r.ruleName,
      ),
      ["email", "phone"],
    );
    await refused(
      type,
      id,
      [{ op: "replace", path: "/Type", value: "SOURCE" }],
      "NotUpdatable",
      /Type cannot be changed in place: UpdateIdNamespace .* takes only/,
    );
    assert.equal((await er().GetIdNamespace!({ idNamespaceName: "cc-ns" }, ctx))["type"], "TARGET");
  });

  test("IdMappingWorkflow: Description, IdMappingIncrementalRunConfig, IdMappingTechniques, InputSourceConfig, OutputSourceConfig and RoleArn reach UpdateIdMappingWorkflow", async () => {
    const type = "AWS::EntityResolution::IdMappingWorkflow";
    const { sourceArn, targetArn } = await createNamespaces(fixture.cloud, "-wf");
    const techniques = {
      IdMappingType: "RULE_BASED",
      RuleBasedProperties: {
        RuleDefinitionType: "TARGET",
        AttributeMatchingModel: "MANY_TO_MANY",
        RecordMatchingModel: "MANY_SOURCE_TO_ONE_TARGET",
      },
    };
    const id = await create(type, {
      WorkflowName: "cc-wf",
      InputSourceConfig: [
        { InputSourceARN: sourceArn, Type: "SOURCE" },
        { InputSourceARN: targetArn, Type: "TARGET" },
      ],
      IdMappingTechniques: { ...techniques, NormalizationVersion: "1.0.0" },
      RoleArn: ROLE_ARN,
    });
    // ER's API has no normalizationVersion (src/schemas/deviations.ts UNSTORED_PROPERTIES).
    assert.deepEqual((await properties(type, id)).IdMappingTechniques, techniques);
    const otherRole = await roleLike("er-reader", "er-reader-wf");
    const oneToOne = {
      ...techniques,
      RuleBasedProperties: {
        ...techniques.RuleBasedProperties,
        RecordMatchingModel: "ONE_SOURCE_TO_ONE_TARGET",
      },
    };
    const output = [{ OutputS3Path: "s3://crm-data/mapped/" }];
    const model = await updated(type, id, [
      { op: "add", path: "/Description", value: "v2" },
      { op: "add", path: "/IdMappingIncrementalRunConfig", value: { IncrementalRunType: "ON_DEMAND" } },
      { op: "replace", path: "/IdMappingTechniques", value: oneToOne },
      { op: "add", path: "/OutputSourceConfig", value: output },
      { op: "replace", path: "/RoleArn", value: otherRole },
      { op: "replace", path: "/InputSourceConfig/0", value: { InputSourceARN: sourceArn } },
    ]);
    assert.equal(model.Description, "v2");
    assert.deepEqual(model.IdMappingIncrementalRunConfig, { IncrementalRunType: "ON_DEMAND" });
    assert.deepEqual(model.IdMappingTechniques, oneToOne);
    assert.deepEqual(model.OutputSourceConfig, output);
    assert.equal(model.RoleArn, otherRole);
    assert.deepEqual(model.InputSourceConfig[0], { InputSourceARN: sourceArn });
    const api = await er().GetIdMappingWorkflow!({ workflowName: "cc-wf" }, ctx);
    assert.equal(api["description"], "v2");
    assert.deepEqual(api["incrementalRunConfig"], { incrementalRunType: "ON_DEMAND" });
    assert.equal(
      api["idMappingTechniques"].ruleBasedProperties.recordMatchingModel,
      "ONE_SOURCE_TO_ONE_TARGET",
    );
    assert.deepEqual(api["outputSourceConfig"], [{ outputS3Path: "s3://crm-data/mapped/" }]);
    assert.equal(api["roleArn"], otherRole);
    assert.equal(api["inputSourceConfig"][0].type, undefined);
    await refused(
      type,
      id,
      [{ op: "replace", path: "/WorkflowName", value: "renamed" }],
      "NotUpdatable",
      /createOnlyProperties \[\/properties\/WorkflowName\]/,
    );
  });

  test("Collaboration: the new properties are stored and returned; Name, Description, AnalyticsEngine reach UpdateCollaboration; IsMetricsEnabled is NotUpdatable", async () => {
    const type = "AWS::CleanRooms::Collaboration";
    const id = await create(type, {
      Name: "cc collab",
      Description: "v1",
      CreatorDisplayName: "Us",
      CreatorMemberAbilities: ["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
      CreatorMLMemberAbilities: { CustomMLMemberAbilities: ["CAN_RECEIVE_MODEL_OUTPUT"] },
      Members: [
        {
          AccountId: "111111111111",
          DisplayName: "Partner",
          MemberAbilities: [],
          MLMemberAbilities: { CustomMLMemberAbilities: ["CAN_RECEIVE_INFERENCE_OUTPUT"] },
          PaymentConfiguration: {
            QueryCompute: { IsResponsible: false },
            JobCompute: { IsResponsible: false },
          },
        },
      ],
      QueryLogStatus: "DISABLED",
      IsMetricsEnabled: true,
      AutoApprovedChangeTypes: ["ADD_MEMBER"],
      AllowedResultRegions: ["us-east-1", "eu-west-1"],
    });
    const model = await properties(type, id);
    assert.equal(model.IsMetricsEnabled, true);
    assert.deepEqual(model.AutoApprovedChangeTypes, ["ADD_MEMBER"]);
    assert.deepEqual(model.AllowedResultRegions, ["us-east-1", "eu-west-1"]);
    assert.deepEqual(model.CreatorMLMemberAbilities, {
      CustomMLMemberAbilities: ["CAN_RECEIVE_MODEL_OUTPUT"],
    });
    assert.deepEqual(model.Members[0].MLMemberAbilities, {
      CustomMLMemberAbilities: ["CAN_RECEIVE_INFERENCE_OUTPUT"],
    });
    assert.deepEqual(model.Members[0].PaymentConfiguration.JobCompute, { IsResponsible: false });
    for (const readOnly of ["Arn", "CollaborationIdentifier"]) assert.ok(model[readOnly], readOnly);
    const changed = await updated(type, id, [
      { op: "replace", path: "/Name", value: "renamed" },
      { op: "replace", path: "/Description", value: "v2" },
      { op: "add", path: "/AnalyticsEngine", value: "SPARK" },
    ]);
    assert.equal(changed.Name, "renamed");
    assert.equal(changed.Description, "v2");
    assert.equal(changed.AnalyticsEngine, "SPARK");
    const api = (await cr().GetCollaboration!({ collaborationIdentifier: id }, ctx))["collaboration"];
    assert.equal(api.name, "renamed");
    assert.equal(api.description, "v2");
    assert.equal(api.analyticsEngine, "SPARK");
    assert.equal(api.isMetricsEnabled, true);
    assert.deepEqual(api.autoApprovedChangeTypes, ["ADD_MEMBER"]);
    assert.deepEqual(api.allowedResultRegions, ["us-east-1", "eu-west-1"]);
    await refused(
      type,
      id,
      [{ op: "replace", path: "/IsMetricsEnabled", value: false }],
      "NotUpdatable",
      /IsMetricsEnabled cannot be changed in place: UpdateCollaboration .* takes only name, description and analyticsEngine/,
    );
    await refused(
      type,
      id,
      [{ op: "replace", path: "/AllowedResultRegions", value: ["us-east-1"] }],
      "NotUpdatable",
      /createOnlyProperties \[\/properties\/AllowedResultRegions\]/,
    );
  });

  test("Membership: QueryLogStatus, JobLogStatus, DefaultResultConfiguration, DefaultJobResultConfiguration reach UpdateMembership; PaymentConfiguration (JobCompute) and IsMetricsEnabled are NotUpdatable", async () => {
    const collaborationId = await create("AWS::CleanRooms::Collaboration", {
      Name: "membership collab",
      Description: "for a membership",
      CreatorDisplayName: "Us",
      CreatorMemberAbilities: ["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
      CreatorPaymentConfiguration: {
        QueryCompute: { IsResponsible: true },
        JobCompute: { IsResponsible: true },
      },
      Members: [],
      QueryLogStatus: "ENABLED",
      JobLogStatus: "ENABLED",
    });
    const type = "AWS::CleanRooms::Membership";
    const jobResults = {
      OutputConfiguration: { S3: { Bucket: "crm-data", KeyPrefix: "jobs/" } },
      RoleArn: ROLE_ARN,
    };
    const payment = { QueryCompute: { IsResponsible: true }, JobCompute: { IsResponsible: true } };
    const id = await create(type, {
      CollaborationIdentifier: collaborationId,
      QueryLogStatus: "ENABLED",
      IsMetricsEnabled: false,
      DefaultJobResultConfiguration: jobResults,
      PaymentConfiguration: payment,
    });
    const model = await properties(type, id);
    assert.equal(model.IsMetricsEnabled, false);
    assert.deepEqual(model.DefaultJobResultConfiguration, jobResults);
    assert.deepEqual(model.PaymentConfiguration, payment);
    for (const readOnly of [
      "Arn",
      "CollaborationArn",
      "CollaborationCreatorAccountId",
      "MembershipIdentifier",
    ])
      assert.ok(model[readOnly], readOnly);
    const queryResults = {
      OutputConfiguration: { S3: { Bucket: "crm-data", KeyPrefix: "queries/", ResultFormat: "PARQUET" } },
      RoleArn: ROLE_ARN,
    };
    const nextJobResults = { ...jobResults, OutputConfiguration: { S3: { Bucket: "crm-data" } } };
    const changed = await updated(type, id, [
      { op: "replace", path: "/QueryLogStatus", value: "DISABLED" },
      { op: "add", path: "/JobLogStatus", value: "ENABLED" },
      { op: "add", path: "/DefaultResultConfiguration", value: queryResults },
      { op: "replace", path: "/DefaultJobResultConfiguration", value: nextJobResults },
    ]);
    assert.equal(changed.QueryLogStatus, "DISABLED");
    assert.equal(changed.JobLogStatus, "ENABLED");
    assert.deepEqual(changed.DefaultResultConfiguration, queryResults);
    assert.deepEqual(changed.DefaultJobResultConfiguration, nextJobResults);
    const api = (await cr().GetMembership!({ membershipIdentifier: id }, ctx))["membership"];
    assert.equal(api.queryLogStatus, "DISABLED");
    assert.equal(api.jobLogStatus, "ENABLED");
    assert.equal(api.defaultResultConfiguration.outputConfiguration.s3.resultFormat, "PARQUET");
    assert.deepEqual(api.defaultJobResultConfiguration.outputConfiguration, { s3: { bucket: "crm-data" } });
    assert.equal(api.isMetricsEnabled, false);
    assert.deepEqual(api.paymentConfiguration.jobCompute, { isResponsible: true });
    await refused(
      type,
      id,
      [{ op: "replace", path: "/PaymentConfiguration/JobCompute/IsResponsible", value: false }],
      "NotUpdatable",
      /PaymentConfiguration cannot be changed in place: UpdateMembership .* takes only/,
    );
    await refused(
      type,
      id,
      [{ op: "replace", path: "/IsMetricsEnabled", value: true }],
      "NotUpdatable",
      /IsMetricsEnabled cannot be changed in place/,
    );
    // UpdateMembership checks the shape botocore models (a job result configuration needs roleArn).
    await rejectsWith(
      cr().UpdateMembership!(
        {
          membershipIdentifier: id,
          defaultJobResultConfiguration: { outputConfiguration: { s3: { bucket: "crm-data" } } },
        },
        ctx,
      ),
      { code: "ValidationException", status: 400, message: /roleArn/ },
    );
    // Alchemy sends unchanged values back: they are not changes.
    await updated(type, id, [{ op: "add", path: "/PaymentConfiguration", value: payment }]);
  });

  test("IdNamespaceAssociation and IdMappingTable: Name, Description, IdMappingConfig, KmsKeyArn reach their Update operations", async () => {
    const { sourceArn, targetArn } = await createNamespaces(fixture.cloud, "-cr");
    const workflow = await er().CreateIdMappingWorkflow!(workflowInput("cr-wf", sourceArn, targetArn), ctx);
    const collaborationId = await create("AWS::CleanRooms::Collaboration", {
      Name: "children collab",
      Description: "for associations and tables",
      CreatorDisplayName: "Us",
      CreatorMemberAbilities: ["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
      QueryLogStatus: "DISABLED",
    });
    const membershipId = await create("AWS::CleanRooms::Membership", {
      CollaborationIdentifier: collaborationId,
      QueryLogStatus: "DISABLED",
    });
    const associationType = "AWS::CleanRooms::IdNamespaceAssociation";
    const associations: string[] = [];
    for (const [name, arn] of [
      ["source", sourceArn],
      ["target", targetArn],
    ]) {
      associations.push(
        await create(associationType, {
          MembershipIdentifier: membershipId,
          Name: name!,
          Description: "v1",
          InputReferenceConfig: { InputReferenceArn: arn, ManageResourcePolicies: true },
        }),
      );
    }
    const association = await updated(associationType, associations[0]!, [
      { op: "replace", path: "/Name", value: "renamed source" },
      { op: "replace", path: "/Description", value: "v2" },
      { op: "add", path: "/IdMappingConfig", value: { AllowUseAsDimensionColumn: true } },
    ]);
    assert.equal(association.Name, "renamed source");
    assert.equal(association.Description, "v2");
    assert.deepEqual(association.IdMappingConfig, { AllowUseAsDimensionColumn: true });
    assert.equal(association.InputReferenceProperties.IdNamespaceType, "SOURCE");
    const [associationId] = associations[0]!.split("|");
    const apiAssociation = (
      await cr().GetIdNamespaceAssociation!(
        { membershipIdentifier: membershipId, idNamespaceAssociationIdentifier: associationId },
        ctx,
      )
    )["idNamespaceAssociation"];
    assert.equal(apiAssociation.name, "renamed source");
    assert.equal(apiAssociation.description, "v2");
    assert.deepEqual(apiAssociation.idMappingConfig, { allowUseAsDimensionColumn: true });
    const cleared = await updated(associationType, associations[0]!, [
      { op: "remove", path: "/Description" },
    ]);
    assert.equal(cleared.Description, undefined);
    await refused(
      associationType,
      associations[0]!,
      [{ op: "replace", path: "/InputReferenceConfig/InputReferenceArn", value: targetArn }],
      "NotUpdatable",
      /createOnlyProperties \[\/properties\/InputReferenceConfig\]/,
    );

    const tableType = "AWS::CleanRooms::IdMappingTable";
    const table = await create(tableType, {
      MembershipIdentifier: membershipId,
      Name: "cc_table",
      InputReferenceConfig: { InputReferenceArn: workflow["workflowArn"], ManageResourcePolicies: true },
    });
    const kmsKeyArn = "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const tableModel = await updated(tableType, table, [
      { op: "add", path: "/Description", value: "described" },
      { op: "add", path: "/KmsKeyArn", value: kmsKeyArn },
    ]);
    assert.equal(tableModel.Description, "described");
    assert.equal(tableModel.KmsKeyArn, kmsKeyArn);
    for (const readOnly of [
      "IdMappingTableIdentifier",
      "Arn",
      "MembershipArn",
      "CollaborationIdentifier",
      "CollaborationArn",
    ])
      assert.ok(tableModel[readOnly], readOnly);
    assert.equal(tableModel.InputReferenceProperties.IdMappingTableInputSource.length, 2);
    const apiTable = (
      await cr().GetIdMappingTable!(
        { membershipIdentifier: membershipId, idMappingTableIdentifier: table.split("|")[0] },
        ctx,
      )
    )["idMappingTable"];
    assert.equal(apiTable.description, "described");
    assert.equal(apiTable.kmsKeyArn, kmsKeyArn);
    await refused(
      tableType,
      table,
      [{ op: "replace", path: "/Name", value: "other_name" }],
      "NotUpdatable",
      /createOnlyProperties \[\/properties\/Name\]/,
    );
  });
});
