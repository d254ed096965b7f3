import { CollaborationResource } from "./clean-rooms/collaboration.ts";
import { IdMappingTableResource } from "./clean-rooms/id-mapping-table.ts";
import { IdNamespaceAssociationResource } from "./clean-rooms/id-namespace-association.ts";
import { MembershipResource } from "./clean-rooms/membership.ts";
import { IdMappingWorkflowResource } from "./entity-resolution/id-mapping-workflow.ts";
import { IdNamespaceResource } from "./entity-resolution/id-namespace.ts";
import { SchemaMappingResource } from "./entity-resolution/schema-mapping.ts";
import { DatabaseResource } from "./glue/database.ts";
import { TableResource } from "./glue/table.ts";
import { RoleResource } from "./iam/role.ts";
import type { ResourceType } from "./resource-type.ts";
import { BucketResource } from "./s3/bucket.ts";

export type { ResourceType } from "./resource-type.ts";

/** Every CloudFormation type idbridge manages, keyed by type name ("AWS::S3::Bucket"). */
export const resourceTypes: Record<string, ResourceType> = Object.fromEntries(
  [
    BucketResource,
    DatabaseResource,
    TableResource,
    RoleResource,
    SchemaMappingResource,
    IdNamespaceResource,
    IdMappingWorkflowResource,
    CollaborationResource,
    MembershipResource,
    IdNamespaceAssociationResource,
    IdMappingTableResource,
  ].map((type) => [type.typeName, type as unknown as ResourceType]),
);
