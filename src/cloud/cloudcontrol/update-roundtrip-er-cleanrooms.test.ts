/**
 * The update round trip (test/support/update-roundtrip.ts) of the Entity Resolution and Clean Rooms
 * types: every updatable property patched through Cloud Control with the official SDK against
 * `idbridge serve` shows in GetResource and in the service's own Get API; every create-only one
 * answers NotUpdatable; every read-only one is returned. Properties the service's update operation
 * has no member for (src/schemas/deviations.ts UPDATE_GAPS) must answer NotUpdatable and change nothing.
 * These adapters make what each type needs (S3 + Glue inputs, an IAM role ER may pass, namespaces,
 * a collaboration and membership) and read each property back from the service in CloudFormation's shape.
 */
import {
  CreateCollaborationCommand,
  CreateIdNamespaceAssociationCommand,
  CreateMembershipCommand,
  GetCollaborationCommand,
  GetIdMappingTableCommand,
  GetIdNamespaceAssociationCommand,
  GetMembershipCommand,
  ListTagsForResourceCommand as ListCleanRoomsTagsCommand,
} from "@aws-sdk/client-cleanrooms";
import {
  CreateIdMappingWorkflowCommand,
  CreateIdNamespaceCommand,
  CreateSchemaMappingCommand,
  GetIdMappingWorkflowCommand,
  GetIdNamespaceCommand,
  GetSchemaMappingCommand,
  ListTagsForResourceCommand as ListErTagsCommand,
} from "@aws-sdk/client-entityresolution";
import { CreateDatabaseCommand, CreateTableCommand } from "@aws-sdk/client-glue";
import { CreateRoleCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { type RoundTripClients, updateRoundTrip } from "../../../test/support/update-roundtrip.ts";
import { UPDATE_GAPS } from "../../schemas/deviations.ts";
import { crmSchema, graphSchema } from "../../synth/index.ts";
import { upperKeys } from "../clean-rooms/index.ts";
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from "../service.ts";

/** CloudFormation's tag list from a service's tag map (order-free: sorted by key like the providers'). */
const tagList = (tags: Record<string, string> | undefined) =>
  Object.entries(tags ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([Key, Value]) => ({ Key, Value }));

/**
 * The type's UPDATE_GAPS as the harness's refusals: a patch to `values[property]` must answer
 * NotUpdatable and change nothing. Every gap of the type needs a value.
 */
function updateGapRefusals(typeName: string, values: Record<string, unknown>) {
  const gaps = UPDATE_GAPS.filter((gap) => gap.typeName === typeName);
  const missing = gaps.filter((gap) => !(gap.property in values)).map((gap) => gap.property);
  if (missing.length > 0)
    throw new Error(`${typeName}: give a new value for the update gap(s) ${missing.join(", ")}`);
  return Object.fromEntries(
    gaps.map((gap) => [
      gap.property,
      { value: values[gap.property], errorCode: "NotUpdatable", why: gap.reason },
    ]),
  );
}

const roleArn = (name: string) => `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${name}`;
const tableArn = (database: string, table: string) =>
  `arn:aws:glue:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:table/${database}/${table}`;

interface ErInputs {
  bucket: string;
  crmTable: string;
  graphTable: string;
  crmSchema: string;
  graphSchema: string;
  role: string;
  otherRole: string;
}

/** An S3 bucket, Glue tables over it, two roles ER may pass that can read and write it, and schema mappings of both tables. */
async function erInputs(
  { s3, glue, iam, entityResolution }: RoundTripClients,
  run: string,
): Promise<ErInputs> {
  const bucket = `${run}-data`;
  const database = `${run}_crm`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: database } }));
  const schemas = { customers: crmSchema(), graph: graphSchema() };
  for (const [name, schema] of Object.entries(schemas)) {
    await glue.send(
      new CreateTableCommand({
        DatabaseName: database,
        TableInput: {
          Name: name,
          StorageDescriptor: {
            Location: `s3://${bucket}/${name}/`,
            Columns: schema.mappedInputFields.map((field) => ({ Name: field.fieldName, Type: "string" })),
          },
        },
      }),
    );
    await entityResolution.send(
      new CreateSchemaMappingCommand({
        schemaName: `${run}-${name}`,
        mappedInputFields: schema.mappedInputFields as never,
      }),
    );
  }
  const trust = {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { Service: "entityresolution.amazonaws.com" }, Action: "sts:AssumeRole" },
    ],
  };
  const access = {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:PutObject"],
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
      },
      {
        Effect: "Allow",
        Action: ["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"],
        Resource: [
          `arn:aws:glue:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:catalog`,
          `arn:aws:glue:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:database/${database}`,
          `arn:aws:glue:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:table/${database}/*`,
        ],
      },
    ],
  };
  for (const name of [`${run}-er`, `${run}-er-2`]) {
    await iam.send(
      new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: name,
        PolicyName: "read",
        PolicyDocument: JSON.stringify(access),
      }),
    );
  }
  return {
    bucket,
    crmTable: tableArn(database, "customers"),
    graphTable: tableArn(database, "graph"),
    crmSchema: `${run}-customers`,
    graphSchema: `${run}-graph`,
    role: roleArn(`${run}-er`),
    otherRole: roleArn(`${run}-er-2`),
  };
}

/** A SOURCE namespace over the CRM and a TARGET one over the graph that holds the rules. */
async function namespaces(clients: RoundTripClients, run: string, inputs: ErInputs) {
  const source = await clients.entityResolution.send(
    new CreateIdNamespaceCommand({
      idNamespaceName: `${run}-source`,
      type: "SOURCE",
      inputSourceConfig: [{ inputSourceARN: inputs.crmTable, schemaName: inputs.crmSchema }],
      idMappingWorkflowProperties: [
        { idMappingType: "RULE_BASED", ruleBasedProperties: { ruleDefinitionTypes: ["TARGET"] } as never },
      ],
      roleArn: inputs.role,
    }),
  );
  const target = await clients.entityResolution.send(
    new CreateIdNamespaceCommand({
      idNamespaceName: `${run}-target`,
      type: "TARGET",
      inputSourceConfig: [{ inputSourceARN: inputs.graphTable, schemaName: inputs.graphSchema }],
      idMappingWorkflowProperties: [
        {
          idMappingType: "RULE_BASED",
          ruleBasedProperties: {
            rules: [{ ruleName: "email", matchingKeys: ["Email"] }],
            ruleDefinitionTypes: ["TARGET"],
            attributeMatchingModel: "MANY_TO_MANY",
            recordMatchingModels: ["MANY_SOURCE_TO_ONE_TARGET"],
          },
        },
      ],
      roleArn: inputs.role,
    }),
  );
  return { sourceArn: source.idNamespaceArn!, targetArn: target.idNamespaceArn! };
}

/** A collaboration this account created and its ACTIVE membership in it. */
async function membership({ cleanRooms }: RoundTripClients, run: string): Promise<string> {
  const { collaboration } = await cleanRooms.send(
    new CreateCollaborationCommand({
      name: `${run} collaboration`,
      description: "round trip",
      creatorDisplayName: "Us",
      creatorMemberAbilities: ["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
      members: [],
      queryLogStatus: "DISABLED",
    }),
  );
  const created = await cleanRooms.send(
    new CreateMembershipCommand({ collaborationIdentifier: collaboration!.id!, queryLogStatus: "DISABLED" }),
  );
  return created.membership!.id!;
}

const erTags = async ({ entityResolution }: RoundTripClients, arn: string) =>
  tagList((await entityResolution.send(new ListErTagsCommand({ resourceArn: arn }))).tags);
const crTags = async ({ cleanRooms }: RoundTripClients, arn: string) =>
  tagList((await cleanRooms.send(new ListCleanRoomsTagsCommand({ resourceArn: arn }))).tags);

// --- Entity Resolution ---------------------------------------------------------------------------

const schemaMapping = async ({ entityResolution }: RoundTripClients, identifier: string) =>
  entityResolution.send(new GetSchemaMappingCommand({ schemaName: identifier }));

updateRoundTrip({
  typeName: "AWS::EntityResolution::SchemaMapping",
  desired: async (_clients, run) => ({
    SchemaName: `${run}-mapping`,
    MappedInputFields: [
      { FieldName: "id", Type: "UNIQUE_ID" },
      { FieldName: "email", Type: "EMAIL_ADDRESS", MatchKey: "Email" },
    ],
  }),
  values: {
    // ER wants exactly one UNIQUE_ID among the fields, which the schema cannot say.
    MappedInputFields: [
      { FieldName: "id", Type: "UNIQUE_ID" },
      { FieldName: "email", Type: "EMAIL_ADDRESS", MatchKey: "Email", Hashed: true },
      { FieldName: "phone", Type: "PHONE", MatchKey: "Phone", GroupName: "contact" },
    ],
  },
  service: {
    Description: async (clients, identifier) => (await schemaMapping(clients, identifier)).description,
    MappedInputFields: async (clients, identifier) =>
      (await schemaMapping(clients, identifier)).mappedInputFields?.map((field) => upperKeys(field)),
    Tags: async (clients, identifier) =>
      erTags(clients, (await schemaMapping(clients, identifier)).schemaArn!),
  },
});

const idNamespace = async ({ entityResolution }: RoundTripClients, identifier: string) =>
  entityResolution.send(new GetIdNamespaceCommand({ idNamespaceName: identifier }));
let namespaceInputs: ErInputs;

updateRoundTrip({
  typeName: "AWS::EntityResolution::IdNamespace",
  desired: async (clients, run) => {
    namespaceInputs = await erInputs(clients, run);
    return {
      IdNamespaceName: `${run}-namespace`,
      Type: "TARGET",
      RoleArn: namespaceInputs.role,
      InputSourceConfig: [
        { InputSourceARN: namespaceInputs.graphTable, SchemaName: namespaceInputs.graphSchema },
      ],
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
    };
  },
  values: {
    // Rules may only use match keys of the namespace's schema mappings; inputs and roles must exist.
    IdMappingWorkflowProperties: [
      {
        IdMappingType: "RULE_BASED",
        RuleBasedProperties: {
          Rules: [
            { RuleName: "email", MatchingKeys: ["Email"] },
            { RuleName: "phone", MatchingKeys: ["Phone"] },
          ],
          RuleDefinitionTypes: ["TARGET"],
          AttributeMatchingModel: "MANY_TO_MANY",
          RecordMatchingModels: ["MANY_SOURCE_TO_ONE_TARGET"],
        },
      },
    ],
    InputSourceConfig: () => [
      { InputSourceARN: namespaceInputs.graphTable, SchemaName: namespaceInputs.graphSchema },
      { InputSourceARN: namespaceInputs.crmTable, SchemaName: namespaceInputs.crmSchema },
    ],
    RoleArn: () => namespaceInputs.otherRole,
  },
  refused: updateGapRefusals("AWS::EntityResolution::IdNamespace", { Type: "SOURCE" }),
  service: {
    Description: async (clients, identifier) => (await idNamespace(clients, identifier)).description,
    IdMappingWorkflowProperties: async (clients, identifier) =>
      (await idNamespace(clients, identifier)).idMappingWorkflowProperties?.map((properties) =>
        upperKeys(properties),
      ),
    InputSourceConfig: async (clients, identifier) =>
      (await idNamespace(clients, identifier)).inputSourceConfig?.map((source) => ({
        InputSourceARN: source.inputSourceARN,
        SchemaName: source.schemaName,
      })),
    RoleArn: async (clients, identifier) => (await idNamespace(clients, identifier)).roleArn,
    Tags: async (clients, identifier) =>
      erTags(clients, (await idNamespace(clients, identifier)).idNamespaceArn!),
  },
});

const workflow = async ({ entityResolution }: RoundTripClients, identifier: string) =>
  entityResolution.send(new GetIdMappingWorkflowCommand({ workflowName: identifier }));
let workflowInputs: ErInputs & { sourceArn: string; targetArn: string };
const techniques = {
  IdMappingType: "RULE_BASED",
  RuleBasedProperties: {
    RuleDefinitionType: "TARGET",
    AttributeMatchingModel: "MANY_TO_MANY",
    RecordMatchingModel: "MANY_SOURCE_TO_ONE_TARGET",
  },
};

updateRoundTrip({
  typeName: "AWS::EntityResolution::IdMappingWorkflow",
  desired: async (clients, run) => {
    const inputs = await erInputs(clients, run);
    workflowInputs = { ...inputs, ...(await namespaces(clients, run, inputs)) };
    return {
      WorkflowName: `${run}-workflow`,
      InputSourceConfig: [
        { InputSourceARN: workflowInputs.sourceArn, Type: "SOURCE" },
        { InputSourceARN: workflowInputs.targetArn, Type: "TARGET" },
      ],
      IdMappingTechniques: techniques,
      RoleArn: inputs.role,
    };
  },
  values: {
    // A rule-based workflow over the namespaces: the TARGET's rules, the models ER accepts.
    IdMappingTechniques: {
      ...techniques,
      RuleBasedProperties: {
        ...techniques.RuleBasedProperties,
        RecordMatchingModel: "ONE_SOURCE_TO_ONE_TARGET",
      },
    },
    InputSourceConfig: () => [
      { InputSourceARN: workflowInputs.sourceArn },
      { InputSourceARN: workflowInputs.targetArn, Type: "TARGET" },
    ],
    OutputSourceConfig: () => [{ OutputS3Path: `s3://${workflowInputs.bucket}/mapped/` }],
    RoleArn: () => workflowInputs.otherRole,
  },
  service: {
    Description: async (clients, identifier) => (await workflow(clients, identifier)).description,
    IdMappingIncrementalRunConfig: async (clients, identifier) =>
      upperKeys((await workflow(clients, identifier)).incrementalRunConfig),
    IdMappingTechniques: async (clients, identifier) =>
      upperKeys((await workflow(clients, identifier)).idMappingTechniques),
    InputSourceConfig: async (clients, identifier) =>
      (await workflow(clients, identifier)).inputSourceConfig?.map((source) => ({
        InputSourceARN: source.inputSourceARN,
        ...(source.type ? { Type: source.type } : {}),
      })),
    OutputSourceConfig: async (clients, identifier) =>
      (await workflow(clients, identifier)).outputSourceConfig?.map((output) => ({
        OutputS3Path: output.outputS3Path,
        ...(output.KMSArn ? { KMSArn: output.KMSArn } : {}),
      })),
    RoleArn: async (clients, identifier) => (await workflow(clients, identifier)).roleArn,
    Tags: async (clients, identifier) => erTags(clients, (await workflow(clients, identifier)).workflowArn!),
  },
});

// --- Clean Rooms -----------------------------------------------------------------------------------

const collaboration = async ({ cleanRooms }: RoundTripClients, identifier: string) =>
  (await cleanRooms.send(new GetCollaborationCommand({ collaborationIdentifier: identifier })))
    .collaboration!;

updateRoundTrip({
  typeName: "AWS::CleanRooms::Collaboration",
  desired: async (_clients, run) => ({
    Name: `${run} collaboration`,
    Description: "round trip",
    CreatorDisplayName: "Us",
    CreatorMemberAbilities: ["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
    Members: [{ AccountId: "111111111111", DisplayName: "Partner", MemberAbilities: [] }],
    QueryLogStatus: "DISABLED",
    IsMetricsEnabled: false,
  }),
  refused: updateGapRefusals("AWS::CleanRooms::Collaboration", { IsMetricsEnabled: true }),
  service: {
    AnalyticsEngine: async (clients, identifier) =>
      (await collaboration(clients, identifier)).analyticsEngine,
    Description: async (clients, identifier) => (await collaboration(clients, identifier)).description,
    Name: async (clients, identifier) => (await collaboration(clients, identifier)).name,
    Tags: async (clients, identifier) => crTags(clients, (await collaboration(clients, identifier)).arn!),
  },
});

const getMembership = async ({ cleanRooms }: RoundTripClients, identifier: string) =>
  (await cleanRooms.send(new GetMembershipCommand({ membershipIdentifier: identifier }))).membership!;

updateRoundTrip({
  typeName: "AWS::CleanRooms::Membership",
  desired: async ({ cleanRooms }, run) => {
    const { collaboration: created } = await cleanRooms.send(
      new CreateCollaborationCommand({
        name: `${run} collaboration`,
        description: "round trip",
        creatorDisplayName: "Us",
        creatorMemberAbilities: ["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
        creatorPaymentConfiguration: {
          queryCompute: { isResponsible: true },
          jobCompute: { isResponsible: true },
        },
        members: [],
        queryLogStatus: "ENABLED",
        jobLogStatus: "ENABLED",
      }),
    );
    return {
      CollaborationIdentifier: created!.id,
      QueryLogStatus: "ENABLED",
      IsMetricsEnabled: false,
      PaymentConfiguration: { QueryCompute: { IsResponsible: true }, JobCompute: { IsResponsible: true } },
    };
  },
  refused: updateGapRefusals("AWS::CleanRooms::Membership", {
    IsMetricsEnabled: true,
    PaymentConfiguration: { QueryCompute: { IsResponsible: true }, JobCompute: { IsResponsible: false } },
  }),
  service: {
    DefaultJobResultConfiguration: async (clients, identifier) =>
      upperKeys((await getMembership(clients, identifier)).defaultJobResultConfiguration),
    DefaultResultConfiguration: async (clients, identifier) =>
      upperKeys((await getMembership(clients, identifier)).defaultResultConfiguration),
    JobLogStatus: async (clients, identifier) => (await getMembership(clients, identifier)).jobLogStatus,
    QueryLogStatus: async (clients, identifier) => (await getMembership(clients, identifier)).queryLogStatus,
    Tags: async (clients, identifier) => crTags(clients, (await getMembership(clients, identifier)).arn!),
  },
});

const association = async ({ cleanRooms }: RoundTripClients, identifier: string) => {
  const [id, membershipId] = identifier.split("|");
  return (
    await cleanRooms.send(
      new GetIdNamespaceAssociationCommand({
        membershipIdentifier: membershipId,
        idNamespaceAssociationIdentifier: id,
      }),
    )
  ).idNamespaceAssociation!;
};

updateRoundTrip({
  typeName: "AWS::CleanRooms::IdNamespaceAssociation",
  desired: async (clients, run) => {
    const { sourceArn } = await namespaces(clients, run, await erInputs(clients, run));
    return {
      MembershipIdentifier: await membership(clients, run),
      Name: "source",
      InputReferenceConfig: { InputReferenceArn: sourceArn, ManageResourcePolicies: true },
    };
  },
  service: {
    Description: async (clients, identifier) => (await association(clients, identifier)).description,
    IdMappingConfig: async (clients, identifier) =>
      upperKeys((await association(clients, identifier)).idMappingConfig),
    Name: async (clients, identifier) => (await association(clients, identifier)).name,
    Tags: async (clients, identifier) => crTags(clients, (await association(clients, identifier)).arn!),
  },
});

const table = async ({ cleanRooms }: RoundTripClients, identifier: string) => {
  const [id, membershipId] = identifier.split("|");
  return (
    await cleanRooms.send(
      new GetIdMappingTableCommand({ membershipIdentifier: membershipId, idMappingTableIdentifier: id }),
    )
  ).idMappingTable!;
};

updateRoundTrip({
  typeName: "AWS::CleanRooms::IdMappingTable",
  desired: async (clients, run) => {
    const inputs = await erInputs(clients, run);
    const { sourceArn, targetArn } = await namespaces(clients, run, inputs);
    const membershipId = await membership(clients, run);
    // A table's workflow may only read namespaces associated with the collaboration.
    for (const [name, arn] of [
      ["source", sourceArn],
      ["target", targetArn],
    ] as const) {
      await clients.cleanRooms.send(
        new CreateIdNamespaceAssociationCommand({
          membershipIdentifier: membershipId,
          name,
          inputReferenceConfig: { inputReferenceArn: arn, manageResourcePolicies: true },
        }),
      );
    }
    const created = await clients.entityResolution.send(
      new CreateIdMappingWorkflowCommand({
        workflowName: `${run}-workflow`,
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
        roleArn: inputs.role,
      }),
    );
    return {
      MembershipIdentifier: membershipId,
      Name: "mapping_table",
      InputReferenceConfig: { InputReferenceArn: created.workflowArn, ManageResourcePolicies: true },
    };
  },
  service: {
    Description: async (clients, identifier) => (await table(clients, identifier)).description,
    KmsKeyArn: async (clients, identifier) => (await table(clients, identifier)).kmsKeyArn,
    Tags: async (clients, identifier) => crTags(clients, (await table(clients, identifier)).arn!),
  },
});
