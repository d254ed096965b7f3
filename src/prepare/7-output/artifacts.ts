import { type IdentityKind, neverHashed } from "../../normalize/index.ts";
import { CreateSchemaMappingInput, type SchemaAttributeType } from "../../schemas/entity-resolution-api.ts";
import type { PreparedColumn } from "../types.ts";

// Match keys of the AMC identity route's schema mapping, the names match rules refer to (src/match/rules.ts).
const MATCH_KEYS: Record<IdentityKind, string> = {
  EMAIL_ADDRESS: "Email",
  PHONE: "Phone",
  NAME_FIRST: "FirstName",
  NAME_LAST: "LastName",
  ADDRESS: "Address",
  ADDRESS_CITY: "City",
  ADDRESS_STATE: "State",
  ADDRESS_POSTALCODE: "Postal",
  ADDRESS_COUNTRY: "Country",
  MAID: "MAID",
  LRP: "LRP",
  EXP: "EXP",
  MKL: "MKL",
};

/** The output column of an identity kind: third-party ids are ER STRING fields keyed MAID/LRP/EXP/MKL. */
export function preparedColumn(name: string, kind: IdentityKind, hash: boolean): PreparedColumn {
  const type: SchemaAttributeType = neverHashed(kind)
    ? "STRING"
    : (kind as Exclude<IdentityKind, "LRP" | "EXP" | "MKL">);
  return { name, type, matchKey: MATCH_KEYS[kind], hashed: hash && !neverHashed(kind) };
}

/** The ER CreateSchemaMapping request for one table (validated against the shared ER schema). */
export function schemaMappingRequest(
  table: string,
  idColumn: string,
  columns: PreparedColumn[],
): CreateSchemaMappingInput {
  return CreateSchemaMappingInput.parse({
    schemaName: table,
    description: `idbridge prepare: ${table}`,
    mappedInputFields: [
      { fieldName: idColumn, type: "UNIQUE_ID" },
      ...columns.map((c) => ({ fieldName: c.name, type: c.type, matchKey: c.matchKey, hashed: c.hashed })),
    ],
  });
}

export interface GlueCreateTableInput {
  DatabaseName: string;
  TableInput: {
    Name: string;
    Description: string;
    TableType: "EXTERNAL_TABLE";
    Parameters: Record<string, string>;
    StorageDescriptor: {
      Columns: Array<{ Name: string; Type: "string" }>;
      Location: string;
      InputFormat: string;
      OutputFormat: string;
      SerdeInfo: { SerializationLibrary: string; Parameters: Record<string, string> };
    };
  };
}

/** Glue CreateTable request over the table's S3 folder: every column a string, as AMC expects. */
export function glueCreateTableInput(
  table: string,
  columnNames: string[],
  database: string,
  s3Prefix: string,
): GlueCreateTableInput {
  return {
    DatabaseName: database,
    TableInput: {
      Name: table,
      Description: `idbridge prepare: ${table}`,
      TableType: "EXTERNAL_TABLE",
      Parameters: { classification: "parquet", EXTERNAL: "TRUE" },
      StorageDescriptor: {
        Columns: columnNames.map((name) => ({ Name: name, Type: "string" })),
        Location: `${s3Prefix.replace(/\/+$/, "")}/${table}/`,
        InputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
        OutputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
        SerdeInfo: {
          SerializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
          Parameters: { "serialization.format": "1" },
        },
      },
    },
  };
}
