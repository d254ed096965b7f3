import { z } from "zod";

/**
 * Glue Data Catalog shapes shared by the Glue API (CreateDatabase/CreateTable inputs) and the
 * CloudFormation types AWS::Glue::Database/Table, whose DatabaseInput/TableInput mirror the API's.
 * Lengths as in Glue's API model (NameString 1–255, ColumnTypeString ≤131072, CommentString ≤255).
 */
const nameString = z.string().min(1).max(255);
const parameters = z.record(z.string().min(1).max(255), z.string().max(512_000));

export const GlueColumn = z.strictObject({
  Name: nameString,
  Type: z.string().max(131_072).optional(),
  Comment: z.string().max(255).optional(),
  Parameters: parameters.optional(),
});

const SerdeInfo = z.strictObject({
  Name: nameString.optional(),
  SerializationLibrary: nameString.optional(),
  Parameters: parameters.optional(),
});

const SchemaId = z.strictObject({
  SchemaArn: z.string().optional(),
  SchemaName: z.string().optional(),
  RegistryName: z.string().optional(),
});

export const GlueStorageDescriptor = z.strictObject({
  Columns: z.array(GlueColumn).optional(),
  Location: z.string().max(2056).optional(),
  AdditionalLocations: z.array(z.string()).optional(),
  InputFormat: z.string().max(128).optional(),
  OutputFormat: z.string().max(128).optional(),
  Compressed: z.boolean().optional(),
  NumberOfBuckets: z.number().int().optional(),
  SerdeInfo: SerdeInfo.optional(),
  BucketColumns: z.array(nameString).optional(),
  SortColumns: z
    .array(z.strictObject({ Column: nameString, SortOrder: z.number().int().min(0).max(1) }))
    .optional(),
  Parameters: parameters.optional(),
  SkewedInfo: z
    .strictObject({
      SkewedColumnNames: z.array(nameString).optional(),
      SkewedColumnValues: z.array(z.string()).optional(),
      SkewedColumnValueLocationMaps: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  StoredAsSubDirectories: z.boolean().optional(),
  SchemaReference: z
    .strictObject({
      SchemaId: SchemaId.optional(),
      SchemaVersionId: z.string().optional(),
      SchemaVersionNumber: z.number().int().optional(),
    })
    .optional(),
});

const TableIdentifier = z.strictObject({
  CatalogId: z.string().optional(),
  DatabaseName: nameString.optional(),
  Name: nameString.optional(),
  Region: z.string().optional(),
});

export const GlueTableInput = z.strictObject({
  Name: nameString,
  Description: z.string().max(2048).optional(),
  Owner: nameString.optional(),
  Retention: z.number().int().min(0).optional(),
  StorageDescriptor: GlueStorageDescriptor.optional(),
  PartitionKeys: z.array(GlueColumn).optional(),
  ViewOriginalText: z.string().max(409_600).optional(),
  ViewExpandedText: z.string().max(409_600).optional(),
  TableType: z.string().max(255).optional(),
  Parameters: parameters.optional(),
  TargetTable: TableIdentifier.optional(),
});
export type GlueTableInput = z.infer<typeof GlueTableInput>;

const DataLakePrincipal = z.strictObject({
  DataLakePrincipalIdentifier: z.string().min(1).max(255).optional(),
});

export const GlueDatabaseInput = z.strictObject({
  Name: nameString,
  Description: z.string().max(2048).optional(),
  LocationUri: z.string().min(1).max(1024).optional(),
  Parameters: parameters.optional(),
  CreateTableDefaultPermissions: z
    .array(
      z.strictObject({
        Principal: DataLakePrincipal.optional(),
        Permissions: z.array(z.string()).optional(),
      }),
    )
    .optional(),
  TargetDatabase: z
    .strictObject({
      CatalogId: z.string().optional(),
      DatabaseName: nameString.optional(),
      Region: z.string().optional(),
    })
    .optional(),
  FederatedDatabase: z
    .strictObject({ Identifier: z.string().optional(), ConnectionName: z.string().optional() })
    .optional(),
});
export type GlueDatabaseInput = z.infer<typeof GlueDatabaseInput>;
