/**
 * Every updatable property of the infrastructure types, patched through Cloud Control with the
 * official SDK against `idbridge serve`, must reach the service (its own Get API shows it); every
 * create-only one answers NotUpdatable; every read-only one is returned. The properties come from
 * AWS's resource schemas (test/support/update-roundtrip.ts); these adapters say how to create one
 * resource of each type and how each service shows a property.
 */
import { CreateDatabaseCommand, GetDatabaseCommand, GetTableCommand } from "@aws-sdk/client-glue";
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import {
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
} from "@aws-sdk/client-s3";
import { type RoundTripClients, updateRoundTrip } from "../../../test/support/update-roundtrip.ts";
import { LOCAL_ACCOUNT_ID } from "../service.ts";

type Model = Record<string, unknown>;

const s3Pending = (operation: string) => `the local S3 has no ${operation} yet`;

const bucket = (identifier: string) => ({ Bucket: identifier });

updateRoundTrip({
  typeName: "AWS::S3::Bucket",
  desired: async (_clients, run) => ({ BucketName: `${run}-bucket` }),
  // S3 accepts an Object Lock configuration only on a versioned bucket, and the lock, once on, stays.
  first: ["VersioningConfiguration", "ObjectLockEnabled", "ObjectLockConfiguration"],
  values: {
    VersioningConfiguration: { Status: "Enabled" },
    ObjectLockEnabled: true,
    ObjectLockConfiguration: {
      ObjectLockEnabled: "Enabled",
      Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: 30 } },
    },
    BucketEncryption: {
      ServerSideEncryptionConfiguration: [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" }, BucketKeyEnabled: true },
      ],
    },
    OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerPreferred" }] },
    Tags: [{ Key: "team", Value: "identity" }],
  },
  service: {
    VersioningConfiguration: async ({ s3 }, identifier) => ({
      Status: (await s3.send(new GetBucketVersioningCommand(bucket(identifier)))).Status,
    }),
    ObjectLockEnabled: async ({ s3 }, identifier) =>
      (await s3.send(new GetObjectLockConfigurationCommand(bucket(identifier)))).ObjectLockConfiguration
        ?.ObjectLockEnabled === "Enabled",
    ObjectLockConfiguration: async ({ s3 }, identifier) =>
      (await s3.send(new GetObjectLockConfigurationCommand(bucket(identifier)))).ObjectLockConfiguration,
    Tags: async ({ s3 }, identifier) =>
      (await s3.send(new GetBucketTaggingCommand(bucket(identifier)))).TagSet,
    BucketEncryption: async ({ s3 }, identifier) => {
      const { ServerSideEncryptionConfiguration } = await s3.send(
        new GetBucketEncryptionCommand(bucket(identifier)),
      );
      return {
        ServerSideEncryptionConfiguration: ServerSideEncryptionConfiguration?.Rules?.map(
          ({ ApplyServerSideEncryptionByDefault, ...rule }) => ({
            ...rule,
            ServerSideEncryptionByDefault: ApplyServerSideEncryptionByDefault,
          }),
        ),
      };
    },
    PublicAccessBlockConfiguration: async ({ s3 }, identifier) =>
      (await s3.send(new GetPublicAccessBlockCommand(bucket(identifier)))).PublicAccessBlockConfiguration,
    OwnershipControls: async ({ s3 }, identifier) =>
      (await s3.send(new GetBucketOwnershipControlsCommand(bucket(identifier)))).OwnershipControls,
  },
  pending: {
    AbacStatus: s3Pending("GetBucketAbac"),
    AccelerateConfiguration: s3Pending("GetBucketAccelerateConfiguration"),
    AccessControl: s3Pending("GetBucketAcl"),
    AnalyticsConfigurations: s3Pending("ListBucketAnalyticsConfigurations"),
    CorsConfiguration: s3Pending("GetBucketCors"),
    IntelligentTieringConfigurations: s3Pending("ListBucketIntelligentTieringConfigurations"),
    InventoryConfigurations: s3Pending("ListBucketInventoryConfigurations"),
    LifecycleConfiguration: s3Pending("GetBucketLifecycleConfiguration"),
    LoggingConfiguration: s3Pending("GetBucketLogging"),
    MetadataConfiguration: s3Pending("GetBucketMetadataConfiguration"),
    MetadataTableConfiguration: s3Pending("GetBucketMetadataTableConfiguration"),
    MetricsConfigurations: s3Pending("ListBucketMetricsConfigurations"),
    NotificationConfiguration: s3Pending("GetBucketNotificationConfiguration"),
    ReplicationConfiguration: s3Pending("GetBucketReplication"),
    WebsiteConfiguration: s3Pending("GetBucketWebsite"),
  },
});

const glueDatabase = async ({ glue }: RoundTripClients, identifier: string) =>
  (await glue.send(new GetDatabaseCommand({ Name: identifier }))).Database!;

updateRoundTrip({
  typeName: "AWS::Glue::Database",
  desired: async (_clients, run) => ({ CatalogId: LOCAL_ACCOUNT_ID, DatabaseInput: { Name: `${run}_db` } }),
  values: {
    // Glue names the database by DatabaseInput.Name: renaming is not an update (UpdateDatabase).
    DatabaseInput: (_clients: RoundTripClients, model: Model) => ({
      ...(model.DatabaseInput as Model),
      Description: "customer records",
      LocationUri: "s3://roundtrip-bucket/db/",
      Parameters: { owner: "crm" },
    }),
  },
  service: {
    CatalogId: async (clients, identifier) => (await glueDatabase(clients, identifier)).CatalogId,
    DatabaseInput: async (clients, identifier) => {
      const { CatalogId: _c, CreateTime: _t, ...input } = await glueDatabase(clients, identifier);
      return input;
    },
  },
  refused: {
    // A database lives in one catalog: UpdateDatabase names it by CatalogId + Name, so another
    // catalog does not hold it (Glue: EntityNotFoundException, Cloud Control: NotFound).
    CatalogId: { value: "111111111111", errorCode: "NotFound", why: "another account's catalog" },
  },
});

const glueTable = async ({ glue }: RoundTripClients, identifier: string) => {
  const [DatabaseName, Name] = identifier.split("|");
  return (await glue.send(new GetTableCommand({ DatabaseName, Name }))).Table!;
};

updateRoundTrip({
  typeName: "AWS::Glue::Table",
  desired: async ({ glue }, run) => {
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: `${run}_tdb` } }));
    return {
      CatalogId: LOCAL_ACCOUNT_ID,
      DatabaseName: `${run}_tdb`,
      TableInput: { Name: "crm", TableType: "EXTERNAL_TABLE" },
    };
  },
  values: {
    TableInput: (_clients: RoundTripClients, model: Model) => ({
      ...(model.TableInput as Model),
      Description: "prepared CRM rows",
      Parameters: { classification: "parquet" },
      StorageDescriptor: {
        Location: "s3://roundtrip-bucket/crm/",
        Columns: [{ Name: "id", Type: "string" }],
      },
    }),
  },
  service: {
    TableInput: async (clients, identifier) => glueTable(clients, identifier),
  },
  pending: { OpenTableFormatInput: "not yet applied by the provider" },
});

const roleName = (identifier: string) => ({ RoleName: identifier });
const getRole = async ({ iam }: RoundTripClients, identifier: string) =>
  (await iam.send(new GetRoleCommand(roleName(identifier)))).Role!;

const trust = (service: string) => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
});

updateRoundTrip({
  typeName: "AWS::IAM::Role",
  desired: async (_clients, run) => ({
    RoleName: `${run}-role`,
    AssumeRolePolicyDocument: trust("entityresolution.amazonaws.com"),
  }),
  values: {
    AssumeRolePolicyDocument: trust("glue.amazonaws.com"),
    ManagedPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
    PermissionsBoundary: "arn:aws:iam::aws:policy/PowerUserAccess",
    Policies: [
      {
        PolicyName: "read-crm",
        PolicyDocument: {
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::crm/*" }],
        },
      },
    ],
    Tags: [{ Key: "team", Value: "identity" }],
  },
  service: {
    AssumeRolePolicyDocument: async (clients, identifier) =>
      JSON.parse(decodeURIComponent((await getRole(clients, identifier)).AssumeRolePolicyDocument!)),
    Description: async (clients, identifier) => (await getRole(clients, identifier)).Description,
    MaxSessionDuration: async (clients, identifier) =>
      (await getRole(clients, identifier)).MaxSessionDuration,
    PermissionsBoundary: async (clients, identifier) =>
      (await getRole(clients, identifier)).PermissionsBoundary?.PermissionsBoundaryArn,
    Tags: async (clients, identifier) => (await getRole(clients, identifier)).Tags,
    ManagedPolicyArns: async ({ iam }, identifier) =>
      (await iam.send(new ListAttachedRolePoliciesCommand(roleName(identifier)))).AttachedPolicies?.map(
        (policy) => policy.PolicyArn,
      ),
    Policies: async ({ iam }, identifier) => {
      const { PolicyNames = [] } = await iam.send(new ListRolePoliciesCommand(roleName(identifier)));
      return Promise.all(
        PolicyNames.map(async (PolicyName) => {
          const got = await iam.send(new GetRolePolicyCommand({ ...roleName(identifier), PolicyName }));
          return { PolicyName, PolicyDocument: JSON.parse(decodeURIComponent(got.PolicyDocument!)) };
        }),
      );
    },
  },
});
