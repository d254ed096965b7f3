import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import {
  CfnSchemaAttributeType,
  type SchemaMappingProps,
} from "../schemas/entity-resolution/schema-mapping.ts";
import { CreateSchemaMappingInput } from "../schemas/entity-resolution-api.ts";
import { CfnTableInput } from "../schemas/glue/table.ts";

/** What `idbridge prepare` wrote for one table, as CloudFormation props. */
export interface PreparedTableProps {
  name: string;
  /** The Parquet file to upload under the Glue table's Location. */
  parquetPath: string;
  /** Props for AWS.EntityResolution.SchemaMapping (from `<table>.schema-mapping.json`). */
  schemaMapping: SchemaMappingProps;
  /** Database name and TableInput for AWS.Glue.Table (from `<table>.glue-table.json`). */
  glue: { DatabaseName: string; TableInput: z.infer<typeof CfnTableInput> };
}

const GlueCreateTable = z.looseObject({ DatabaseName: z.string(), TableInput: CfnTableInput });

/** The ER API's camelCase schema mapping → CloudFormation's PascalCase props. */
export function schemaMappingProps(input: CreateSchemaMappingInput): PreparedTableProps["schemaMapping"] {
  return {
    SchemaName: input.schemaName,
    ...(input.description ? { Description: input.description } : {}),
    MappedInputFields: input.mappedInputFields.map((field) => ({
      FieldName: field.fieldName,
      Type: cfnAttributeType(field.type, field.fieldName),
      ...(field.matchKey !== undefined ? { MatchKey: field.matchKey } : {}),
      ...(field.groupName !== undefined ? { GroupName: field.groupName } : {}),
      ...(field.subType !== undefined ? { SubType: field.subType } : {}),
      ...(field.hashed !== undefined ? { Hashed: field.hashed } : {}),
    })),
  };
}

function cfnAttributeType(
  type: string,
  fieldName: string,
): SchemaMappingProps["MappedInputFields"][number]["Type"] {
  const parsed = CfnSchemaAttributeType.safeParse(type);
  if (parsed.success) return parsed.data;
  throw new Error(
    `schema mapping field ${fieldName}: type ${type} is valid in Entity Resolution's API but not in AWS::EntityResolution::SchemaMapping (${CfnSchemaAttributeType.options.join(", ")}); map the column to STRING or one of these`,
  );
}

function readJson<T>(file: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: not readable JSON (${(error as Error).message}); re-run idbridge prepare`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${file}: field ${issue?.path.join(".") || "(root)"}: ${issue?.message}; re-run idbridge prepare`,
    );
  }
  return parsed.data;
}

/** Every table of a directory written by `idbridge prepare`, in name order. */
export function readPrepared(dir: string): PreparedTableProps[] {
  if (!existsSync(dir))
    throw new Error(`prepared directory ${dir} does not exist; run \`idbridge prepare <file> --out ${dir}\``);
  const tables = readdirSync(dir)
    .filter((name) => name.endsWith(".schema-mapping.json"))
    .sort()
    .map((file) => {
      const name = file.slice(0, -".schema-mapping.json".length);
      const gluePath = join(dir, `${name}.glue-table.json`);
      const parquetPath = join(dir, `${name}.parquet`);
      for (const needed of [gluePath, parquetPath]) {
        if (!existsSync(needed)) throw new Error(`${needed} is missing; re-run idbridge prepare`);
      }
      return {
        name,
        parquetPath,
        schemaMapping: schemaMappingProps(readJson(join(dir, file), CreateSchemaMappingInput)),
        glue: readJson(gluePath, GlueCreateTable),
      };
    });
  if (tables.length === 0)
    throw new Error(`${dir} holds no *.schema-mapping.json; run \`idbridge prepare <file> --out ${dir}\``);
  return tables;
}
