import { TableResource } from "../../../schemas/glue/table.ts";
import { AwsError } from "../../aws-error.ts";
import { isAwsError, notUpdatable, withIdentifier } from "../../kit/aws-errors.ts";
import { caller } from "../../kit/calls.ts";
import type { ApiObject } from "../../kit/shapes.ts";
import type { ResourceProvider } from "../../provider.ts";
import type { AwsService } from "../../service.ts";

/** Identifier "database|table" (see TableResource). */
function parseIdentifier(identifier: string): { db: string; table: string } {
  const [db, table, ...rest] = identifier.split("|");
  if (!db || !table || rest.length > 0) {
    throw new AwsError(
      "InvalidRequestException",
      `Identifier ${identifier} must be "<database>|<table>".`,
      400,
    );
  }
  return { db, table };
}

export function glueTableProvider(glue: AwsService): ResourceProvider {
  const call = caller(glue);
  const model = (table: ApiObject) => {
    const {
      CatalogId,
      DatabaseName,
      CreateTime: _c,
      UpdateTime: _u,
      VersionId: _v,
      IsRegisteredWithLakeFormation: _l,
      ...input
    } = table;
    return { CatalogId, DatabaseName, TableInput: input, Id: table.Name };
  };
  const get = async (db: string, table: string, ctx: Parameters<ResourceProvider["read"]>[1]) =>
    model((await call("GetTable", { DatabaseName: db, Name: table }, ctx)).Table);

  return {
    type: TableResource,
    // The Id is the table's name, which Glue folds to lowercase like the database's.
    identifierFor(desired) {
      const table = (desired.TableInput as { Name?: unknown } | undefined)?.Name;
      if (typeof desired.DatabaseName !== "string" || typeof table !== "string") return undefined;
      return `${desired.DatabaseName.toLowerCase()}|${table.toLowerCase()}`;
    },
    async create(desired, ctx) {
      const db = String(desired.DatabaseName).toLowerCase();
      const table = String((desired.TableInput as { Name: string }).Name).toLowerCase();
      try {
        await call(
          "CreateTable",
          { CatalogId: desired.CatalogId, DatabaseName: db, TableInput: desired.TableInput },
          ctx,
        );
      } catch (error) {
        throw withIdentifier(error, `${db}|${table}`);
      }
      return { identifier: `${db}|${table}`, model: await get(db, table, ctx) };
    },
    async read(identifier, ctx) {
      const { db, table } = parseIdentifier(identifier);
      try {
        return await get(db, table, ctx);
      } catch (error) {
        if (isAwsError(error, "EntityNotFoundException")) return undefined;
        throw error;
      }
    },
    async update(identifier, desired, ctx) {
      const { db, table } = parseIdentifier(identifier);
      const input = desired.TableInput as { Name: string };
      // The table name is the identifier: a new name is a new table.
      if (input.Name.toLowerCase() !== table) {
        throw notUpdatable(
          `TableInput.Name cannot change from ${table}; replace the table (delete and create) to rename it.`,
        );
      }
      await call("UpdateTable", { DatabaseName: db, TableInput: input }, ctx);
      return get(db, table, ctx);
    },
    async delete(identifier, ctx) {
      const { db, table } = parseIdentifier(identifier);
      await call("DeleteTable", { DatabaseName: db, Name: table }, ctx);
    },
    async list(ctx, resourceModel) {
      const filterDb =
        typeof resourceModel?.DatabaseName === "string"
          ? resourceModel.DatabaseName.toLowerCase()
          : undefined;
      const databases: string[] = [];
      let token: string | undefined;
      do {
        const page = await call("GetDatabases", { ...(token ? { NextToken: token } : {}) }, ctx);
        for (const db of page.DatabaseList) databases.push(db.Name);
        token = page.NextToken;
      } while (token);
      const out: Array<{ identifier: string; model: Record<string, unknown> }> = [];
      for (const db of databases.filter((d) => !filterDb || d === filterDb)) {
        let next: string | undefined;
        do {
          const page = await call(
            "GetTables",
            { DatabaseName: db, ...(next ? { NextToken: next } : {}) },
            ctx,
          );
          for (const t of page.TableList) out.push({ identifier: `${db}|${t.Name}`, model: model(t) });
          next = page.NextToken;
        } while (next);
      }
      return out;
    },
  };
}
