import { DatabaseResource } from "../../../schemas/glue/database.ts";
import { AwsError } from "../../aws-error.ts";
import { isAwsError, withIdentifier } from "../../kit/aws-errors.ts";
import { caller } from "../../kit/calls.ts";
import type { ApiObject } from "../../kit/shapes.ts";
import type { ResourceProvider } from "../../provider.ts";
import type { AwsService } from "../../service.ts";

export function glueDatabaseProvider(glue: AwsService): ResourceProvider {
  const call = caller(glue);
  const model = (db: ApiObject) => {
    const { CatalogId, CreateTime: _, Name, ...input } = db;
    return { CatalogId, DatabaseName: Name, DatabaseInput: { ...input, Name } };
  };
  const input = (desired: ApiObject, name: string) => ({ ...desired.DatabaseInput, Name: name });
  const nameOf = (desired: ApiObject): string => {
    const name = desired.DatabaseName ?? desired.DatabaseInput?.Name;
    if (typeof name !== "string") {
      throw new AwsError(
        "InvalidInputException",
        "Model validation failed: DatabaseName or DatabaseInput.Name is required.",
        400,
      );
    }
    return name.toLowerCase();
  };

  return {
    type: DatabaseResource,
    // DatabaseName is optional (DatabaseInput.Name names it then), and Glue folds names to lowercase.
    identifierFor(desired) {
      const name = desired.DatabaseName ?? (desired.DatabaseInput as ApiObject | undefined)?.Name;
      return typeof name === "string" ? name.toLowerCase() : undefined;
    },
    async create(desired, ctx) {
      const name = nameOf(desired);
      try {
        await call(
          "CreateDatabase",
          { CatalogId: desired.CatalogId, DatabaseInput: input(desired, name) },
          ctx,
        );
      } catch (error) {
        throw withIdentifier(error, name);
      }
      return { identifier: name, model: model((await call("GetDatabase", { Name: name }, ctx)).Database) };
    },
    async read(identifier, ctx) {
      try {
        return model((await call("GetDatabase", { Name: identifier }, ctx)).Database);
      } catch (error) {
        if (isAwsError(error, "EntityNotFoundException")) return undefined;
        throw error;
      }
    },
    async update(identifier, desired, ctx) {
      // CatalogId is updatable in AWS's schema: it says which catalog's database UpdateDatabase changes.
      const CatalogId = desired.CatalogId;
      await call(
        "UpdateDatabase",
        { CatalogId, Name: identifier, DatabaseInput: input(desired, identifier) },
        ctx,
      );
      return model((await call("GetDatabase", { CatalogId, Name: identifier }, ctx)).Database);
    },
    async delete(identifier, ctx) {
      await call("DeleteDatabase", { Name: identifier }, ctx);
    },
    async list(ctx) {
      const out: Array<{ identifier: string; model: Record<string, unknown> }> = [];
      let NextToken: string | undefined;
      do {
        const page = await call("GetDatabases", { ...(NextToken ? { NextToken } : {}) }, ctx);
        for (const db of page.DatabaseList) out.push({ identifier: db.Name, model: model(db) });
        NextToken = page.NextToken;
      } while (NextToken);
      return out;
    },
  };
}
