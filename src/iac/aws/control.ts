import { Collaboration } from "./cleanrooms/collaboration.ts";
import { IdMappingTable } from "./cleanrooms/id-mapping-table.ts";
import { IdNamespaceAssociation } from "./cleanrooms/id-namespace-association.ts";
import { Membership } from "./cleanrooms/membership.ts";
import { IdMappingWorkflow } from "./entityresolution/id-mapping-workflow.ts";
import { IdNamespace } from "./entityresolution/id-namespace.ts";
import { SchemaMapping } from "./entityresolution/schema-mapping.ts";
import { Database } from "./glue/database.ts";
import { Table } from "./glue/table.ts";
import { Role } from "./iam/role.ts";
import { Bucket } from "./s3/bucket.ts";

/**
 * `import AWS from "idbridge/aws/control"`: the same shape as `alchemy/aws/control` for the types of
 * the AMC identity route, so an Alchemy program for them ports by changing this one import.
 */
const AWS = {
  S3: { Bucket },
  Glue: { Database, Table },
  IAM: { Role },
  EntityResolution: { SchemaMapping, IdNamespace, IdMappingWorkflow },
  CleanRooms: { Collaboration, Membership, IdNamespaceAssociation, IdMappingTable },
} as const;

export default AWS;

export type { Collaboration, CollaborationProps } from "./cleanrooms/collaboration.ts";
export type { IdMappingTable, IdMappingTableProps } from "./cleanrooms/id-mapping-table.ts";
export type {
  IdNamespaceAssociation,
  IdNamespaceAssociationProps,
} from "./cleanrooms/id-namespace-association.ts";
export type { Membership, MembershipProps } from "./cleanrooms/membership.ts";
export type { IdMappingWorkflow, IdMappingWorkflowProps } from "./entityresolution/id-mapping-workflow.ts";
export type { IdNamespace, IdNamespaceProps } from "./entityresolution/id-namespace.ts";
export type { SchemaMapping, SchemaMappingProps } from "./entityresolution/schema-mapping.ts";
export type { Database, DatabaseProps } from "./glue/database.ts";
export type { Table, TableProps } from "./glue/table.ts";
export type { Role, RoleProps } from "./iam/role.ts";
export type { Bucket, BucketProps } from "./s3/bucket.ts";
