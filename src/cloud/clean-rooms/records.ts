/** Store tables of the Clean Rooms service and the records they hold (API shapes; times in epoch ms). */
export const CR_TABLES = {
  collaborations: "cleanrooms.collaborations",
  memberships: "cleanrooms.memberships",
  /** key: membershipId/associationId */
  idNamespaceAssociations: "cleanrooms.idNamespaceAssociations",
  /** key: membershipId/tableId */
  idMappingTables: "cleanrooms.idMappingTables",
} as const;

export type MemberAbility = "CAN_QUERY" | "CAN_RUN_JOB" | "CAN_RECEIVE_RESULTS";

export interface CollaborationMemberRecord {
  accountId: string;
  displayName: string;
  abilities: MemberAbility[];
  mlAbilities?: {
    customMLMemberAbilities: Array<"CAN_RECEIVE_MODEL_OUTPUT" | "CAN_RECEIVE_INFERENCE_OUTPUT">;
  };
  status: "INVITED" | "ACTIVE" | "LEFT" | "REMOVED";
  paymentConfiguration: Record<string, unknown>;
  membershipId?: string;
  membershipArn?: string;
  createTime: number;
  updateTime: number;
}

export interface CollaborationRecord {
  id: string;
  arn: string;
  name: string;
  description?: string;
  creatorAccountId: string;
  creatorDisplayName: string;
  createTime: number;
  updateTime: number;
  queryLogStatus: "ENABLED" | "DISABLED";
  jobLogStatus?: "ENABLED" | "DISABLED";
  dataEncryptionMetadata?: Record<string, boolean>;
  analyticsEngine?: "CLEAN_ROOMS_SQL" | "SPARK";
  autoApprovedChangeTypes?: Array<
    "ADD_MEMBER" | "GRANT_RECEIVE_RESULTS_ABILITY" | "REVOKE_RECEIVE_RESULTS_ABILITY"
  >;
  allowedResultRegions?: string[];
  isMetricsEnabled?: boolean;
  /** Every member, the creator first. */
  members: CollaborationMemberRecord[];
  tags: Record<string, string>;
}

export interface MembershipRecord {
  id: string;
  arn: string;
  accountId: string;
  collaborationId: string;
  createTime: number;
  updateTime: number;
  status: "ACTIVE" | "REMOVED" | "COLLABORATION_DELETED";
  queryLogStatus: "ENABLED" | "DISABLED";
  jobLogStatus?: "ENABLED" | "DISABLED";
  defaultResultConfiguration?: Record<string, unknown>;
  defaultJobResultConfiguration?: Record<string, unknown>;
  paymentConfiguration: Record<string, unknown>;
  isMetricsEnabled?: boolean;
  tags: Record<string, string>;
}

/** What every resource inside a membership records (stored under childKey(membershipId, id)). */
export interface MembershipChildRecord {
  id: string;
  arn: string;
  membershipId: string;
  collaborationId: string;
  accountId: string;
  name: string;
  description?: string;
  createTime: number;
  updateTime: number;
  inputReferenceConfig: { inputReferenceArn: string; manageResourcePolicies: boolean };
  tags: Record<string, string>;
}

export interface IdNamespaceAssociationRecord extends MembershipChildRecord {
  inputReferenceProperties: { idNamespaceType: "SOURCE" | "TARGET"; idMappingWorkflowsSupported: unknown[] };
  idMappingConfig?: { allowUseAsDimensionColumn: boolean };
}

export interface IdMappingTableRecord extends MembershipChildRecord {
  inputReferenceProperties: {
    idMappingTableInputSource: Array<{ idNamespaceAssociationId: string; type: "SOURCE" | "TARGET" }>;
  };
  kmsKeyArn?: string;
  /** The ER job of the last PopulateIdMappingTable, and when it was started. */
  lastPopulateJobId?: string;
  lastPopulateTime?: number;
}

export const childKey = (membershipId: string, id: string) => `${membershipId}/${id}`;

export const crArn = (region: string, accountId: string, resource: string) =>
  `arn:aws:cleanrooms:${region}:${accountId}:${resource}`;
