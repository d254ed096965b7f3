import type { z } from "zod";
import { SchemaMappingResource } from "../../../schemas/entity-resolution/schema-mapping.ts";
import { defineResource } from "../../resource.ts";

/**
 * AWS::EntityResolution::SchemaMapping properties (CloudFormation names). SchemaName, Description
 * and MappedInputFields are create-only: changing them replaces the mapping.
 */
export type SchemaMappingProps = z.input<typeof SchemaMappingResource.props>;

export interface SchemaMapping extends SchemaMappingProps {
  /** arn:aws:entityresolution:<region>:<account>:schemamapping/<SchemaName> */
  readonly SchemaArn: string;
  readonly CreatedAt: string;
  readonly UpdatedAt: string;
  /** True once a workflow or ID namespace uses the mapping. */
  readonly HasWorkflows: boolean;
}

/**
 * An Entity Resolution schema mapping: which Glue column is the unique id and which hold identity
 * fields (Amazon Ads' AMC guide "Bring identity data into the collaboration instance", step 3).
 * `idbridge prepare` writes the API form to `<table>.schema-mapping.json`;
 * `schemaMappingFromPrepared` in idbridge's iac turns it into these props.
 *
 * @example
 * const mapping = await AWS.EntityResolution.SchemaMapping("crm-mapping", {
 *   SchemaName: "crm",
 *   MappedInputFields: [
 *     { FieldName: "customerid", Type: "UNIQUE_ID" },
 *     { FieldName: "email", Type: "EMAIL_ADDRESS", MatchKey: "Email", Hashed: true },
 *   ],
 * });
 */
export const SchemaMapping = defineResource<SchemaMappingProps, SchemaMapping>(SchemaMappingResource);
