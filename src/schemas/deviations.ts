/**
 * Every place where idbridge deliberately differs from AWS's CloudFormation resource schemas
 * (src/schemas/aws/cfn-schemas.json), with the reason. Everything else — property names, required,
 * enums, patterns, lengths, item limits, uniqueItems, createOnly/readOnly/writeOnly and
 * primaryIdentifier — is generated from the snapshot (src/schemas/aws/generated/), and the tests
 * in src/schemas/aws/ fail when the generated code, this list or the local cloud drift from it.
 * The README's "AWS fidelity" section names these.
 */
export interface Deviation {
  typeName: string;
  /** Which fact differs. */
  fact: "primaryIdentifier";
  aws: readonly string[];
  idbridge: readonly string[];
  reason: string;
}

export const DEVIATIONS: readonly Deviation[] = [
  {
    typeName: "AWS::Glue::Table",
    fact: "primaryIdentifier",
    aws: ["Id"],
    idbridge: ["DatabaseName", "Id"],
    reason:
      "AWS's identifier is the read-only Id (the table name) alone, which does not say which database the " +
      'table is in; the local cloud\'s Cloud Control identifier is "database|table" so that GetResource, ' +
      "UpdateResource and DeleteResource can find it.",
  },
];

/**
 * Properties AWS's CloudFormation schema lets an update change, but which the service's own update
 * operation has no member for (botocore's service-2.json models): the local cloud cannot change them
 * in place, so a Cloud Control patch that changes one answers NotUpdatable with this reason instead of
 * reporting SUCCESS and changing nothing. Replace the resource to change them.
 */
export interface UpdateGap {
  typeName: string;
  /** Property path, as in createOnly ("PaymentConfiguration"). */
  property: string;
  /** The service operation an update goes through, which lacks the member. */
  operation: string;
  reason: string;
}

const UPDATE_MEMBERSHIP_MEMBERS =
  "UpdateMembership (botocore cleanrooms/2022-02-17) takes only queryLogStatus, jobLogStatus, " +
  "defaultResultConfiguration and defaultJobResultConfiguration";

export const UPDATE_GAPS: readonly UpdateGap[] = [
  {
    typeName: "AWS::CleanRooms::Collaboration",
    property: "IsMetricsEnabled",
    operation: "UpdateCollaboration",
    reason:
      "UpdateCollaboration (botocore cleanrooms/2022-02-17) takes only name, description and analyticsEngine",
  },
  {
    typeName: "AWS::CleanRooms::Membership",
    property: "IsMetricsEnabled",
    operation: "UpdateMembership",
    reason: UPDATE_MEMBERSHIP_MEMBERS,
  },
  {
    typeName: "AWS::CleanRooms::Membership",
    property: "PaymentConfiguration",
    operation: "UpdateMembership",
    reason: UPDATE_MEMBERSHIP_MEMBERS,
  },
  {
    typeName: "AWS::EntityResolution::IdNamespace",
    property: "Type",
    operation: "UpdateIdNamespace",
    reason:
      "UpdateIdNamespace (botocore entityresolution/2018-05-10) takes only description, inputSourceConfig, " +
      "idMappingWorkflowProperties and roleArn",
  },
];

/**
 * Properties AWS's CloudFormation schema accepts for which the service's API has no member at all
 * (botocore's service-2.json): accepted so that valid templates stay valid, but neither stored nor
 * returned by GetResource, and a change of one is a no-op.
 */
export const UNSTORED_PROPERTIES: readonly Omit<UpdateGap, "operation">[] = [
  {
    typeName: "AWS::EntityResolution::IdMappingWorkflow",
    property: "IdMappingTechniques/NormalizationVersion",
    reason:
      "Entity Resolution's API (botocore entityresolution/2018-05-10) has no normalizationVersion member in " +
      "IdMappingTechniques or anywhere else",
  },
];
