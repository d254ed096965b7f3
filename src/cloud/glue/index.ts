import type { z } from "zod";
import { GlueDatabaseInput, GlueTableInput } from "../../schemas/glue/shapes.ts";
import { AwsError } from "../aws-error.ts";
import { decodePageToken, encodePageToken } from "../kit/paging.ts";
import { describeIssues } from "../kit/zod-issues.ts";
import type { ResourceProvider } from "../provider.ts";
import type { AwsService, Operation, RequestContext } from "../service.ts";
import type { Store } from "../store.ts";
import { glueDatabaseProvider } from "./providers/database.ts";
import { glueTableProvider } from "./providers/table.ts";

const DATABASES = "glue.databases";
const TABLES = "glue.tables";
const MAX_PAGE = 100;

/** A stored database: the Database shape of GetDatabase, timestamps as ISO strings. */
export interface DatabaseRecord extends GlueDatabaseInput {
  CatalogId: string;
  CreateTime: string;
}

export interface TableRecord extends GlueTableInput {
  DatabaseName: string;
  CatalogId: string;
  CreateTime: string;
  UpdateTime: string;
  VersionId: string;
  IsRegisteredWithLakeFormation: boolean;
}

type Input = Parameters<Operation>[0];

const invalidInput = (message: string) => new AwsError("InvalidInputException", message, 400);
const entityNotFound = (message: string) => new AwsError("EntityNotFoundException", message, 400);
const alreadyExists = (message: string) => new AwsError("AlreadyExistsException", message, 400);

function parse<S extends z.ZodType>(schema: S, value: unknown, member: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(describeIssues(result.error, member));
  return result.data;
}

const nameOf = (input: Input, member: string): string => {
  const value = input[member];
  if (typeof value !== "string" || value.length === 0 || value.length > 255) {
    throw invalidInput(`${member}: must be a string of 1 to 255 characters`);
  }
  // Glue folds database and table names to lowercase for Hive compatibility.
  return value.toLowerCase();
};

const tableKey = (db: string, table: string) => `${db}/${table}`;

/** Opaque paging token: the last key returned. */
function page<T>(rows: Array<[string, T]>, input: Input): { items: T[]; NextToken?: string } {
  const max = Math.min(Math.max(Number(input.MaxResults ?? MAX_PAGE), 1), MAX_PAGE);
  let start = 0;
  if (input.NextToken) {
    const after = decodePageToken(input.NextToken);
    start = rows.findIndex(([key]) => key > after);
    if (start < 0) start = rows.length;
  }
  const slice = rows.slice(start, start + max);
  const more = start + max < rows.length;
  return {
    items: slice.map(([, v]) => v),
    ...(more ? { NextToken: encodePageToken(slice[slice.length - 1]![0]) } : {}),
  };
}

function renderDatabase(record: DatabaseRecord) {
  return { ...record, CreateTime: new Date(record.CreateTime) };
}

function renderTable(record: TableRecord) {
  return { ...record, CreateTime: new Date(record.CreateTime), UpdateTime: new Date(record.UpdateTime) };
}

export interface Glue {
  readonly service: AwsService;
  /** The Cloud Control providers of its CloudFormation types. */
  readonly providers: ResourceProvider[];
  /** GetTable's Table shape, or EntityNotFoundException. */
  getTable(databaseName: string, tableName: string): Promise<ReturnType<typeof renderTable>>;
}

/** The Glue Data Catalog: databases and tables (the parts Entity Resolution reads through). */
export function createGlue(store: Store): Glue {
  const checkCatalog = (input: Input, ctx: RequestContext) => {
    if (input.CatalogId !== undefined && input.CatalogId !== ctx.accountId) {
      throw entityNotFound(
        `Catalog ${input.CatalogId} not found; the local cloud has only catalog ${ctx.accountId}.`,
      );
    }
  };
  const databaseOf = (name: string): DatabaseRecord => {
    const record = store.get<DatabaseRecord>(DATABASES, name);
    if (!record) throw entityNotFound(`Database ${name} not found.`);
    return record;
  };
  const tableOf = (db: string, table: string): TableRecord => {
    databaseOf(db);
    const record = store.get<TableRecord>(TABLES, tableKey(db, table));
    if (!record) throw entityNotFound(`Table ${table} not found.`);
    return record;
  };

  const operations: Record<string, Operation> = {
    async CreateDatabase(input, ctx) {
      checkCatalog(input, ctx);
      const database = parse(GlueDatabaseInput, input.DatabaseInput, "DatabaseInput");
      const name = database.Name.toLowerCase();
      await store.transact((tx) => {
        if (tx.get(DATABASES, name)) throw alreadyExists("Database already exists.");
        tx.put<DatabaseRecord>(DATABASES, name, {
          ...database,
          Name: name,
          CatalogId: ctx.accountId,
          CreateTime: new Date().toISOString(),
        });
      });
      return {};
    },

    async GetDatabase(input, ctx) {
      checkCatalog(input, ctx);
      return { Database: renderDatabase(databaseOf(nameOf(input, "Name"))) };
    },

    async GetDatabases(input, ctx) {
      checkCatalog(input, ctx);
      const { items, NextToken } = page(store.list<DatabaseRecord>(DATABASES), input);
      return { DatabaseList: items.map(renderDatabase), ...(NextToken ? { NextToken } : {}) };
    },

    async UpdateDatabase(input, ctx) {
      checkCatalog(input, ctx);
      const name = nameOf(input, "Name");
      const database = parse(GlueDatabaseInput, input.DatabaseInput, "DatabaseInput");
      if (database.Name.toLowerCase() !== name)
        throw invalidInput("DatabaseInput.Name: renaming a database is not supported");
      await store.transact((tx) => {
        const current = tx.get<DatabaseRecord>(DATABASES, name);
        if (!current) throw entityNotFound(`Database ${name} not found.`);
        tx.put<DatabaseRecord>(DATABASES, name, {
          ...database,
          Name: name,
          CatalogId: current.CatalogId,
          CreateTime: current.CreateTime,
        });
      });
      return {};
    },

    async DeleteDatabase(input, ctx) {
      checkCatalog(input, ctx);
      const name = nameOf(input, "Name");
      await store.transact((tx) => {
        if (!tx.get(DATABASES, name)) throw entityNotFound(`Database ${name} not found.`);
        // Glue deletes the database's tables with it.
        for (const [key] of store.list(TABLES, `${name}/`)) tx.delete(TABLES, key);
        tx.delete(DATABASES, name);
      });
      return {};
    },

    async CreateTable(input, ctx) {
      checkCatalog(input, ctx);
      const db = nameOf(input, "DatabaseName");
      const table = parse(GlueTableInput, input.TableInput, "TableInput");
      const name = table.Name.toLowerCase();
      const now = new Date().toISOString();
      await store.transact((tx) => {
        if (!tx.get(DATABASES, db)) throw entityNotFound(`Database ${db} not found.`);
        if (tx.get(TABLES, tableKey(db, name))) throw alreadyExists("Table already exists.");
        tx.put<TableRecord>(TABLES, tableKey(db, name), {
          ...table,
          Name: name,
          DatabaseName: db,
          CatalogId: ctx.accountId,
          CreateTime: now,
          UpdateTime: now,
          VersionId: "0",
          IsRegisteredWithLakeFormation: false,
        });
      });
      return {};
    },

    async GetTable(input, ctx) {
      checkCatalog(input, ctx);
      return { Table: renderTable(tableOf(nameOf(input, "DatabaseName"), nameOf(input, "Name"))) };
    },

    async GetTables(input, ctx) {
      checkCatalog(input, ctx);
      const db = nameOf(input, "DatabaseName");
      databaseOf(db);
      let rows = store.list<TableRecord>(TABLES, `${db}/`);
      if (typeof input.Expression === "string" && input.Expression) {
        // Glue's Expression is a regular expression over table names ("*" is accepted as ".*").
        let pattern: RegExp;
        try {
          pattern = new RegExp(`^(?:${input.Expression.replace(/(^|[^.])\*/g, "$1.*")})$`);
        } catch {
          throw invalidInput("Expression: not a valid regular expression");
        }
        rows = rows.filter(([, t]) => pattern.test(t.Name));
      }
      const { items, NextToken } = page(rows, input);
      return { TableList: items.map(renderTable), ...(NextToken ? { NextToken } : {}) };
    },

    async UpdateTable(input, ctx) {
      checkCatalog(input, ctx);
      const db = nameOf(input, "DatabaseName");
      const table = parse(GlueTableInput, input.TableInput, "TableInput");
      const name = table.Name.toLowerCase();
      await store.transact((tx) => {
        if (!tx.get(DATABASES, db)) throw entityNotFound(`Database ${db} not found.`);
        const current = tx.get<TableRecord>(TABLES, tableKey(db, name));
        if (!current) throw entityNotFound(`Table ${name} not found.`);
        if (input.VersionId !== undefined && String(input.VersionId) !== current.VersionId) {
          throw new AwsError(
            "ConcurrentModificationException",
            `Table ${name} was updated by another request.`,
            400,
          );
        }
        tx.put<TableRecord>(TABLES, tableKey(db, name), {
          ...table,
          Name: name,
          DatabaseName: db,
          CatalogId: current.CatalogId,
          CreateTime: current.CreateTime,
          UpdateTime: new Date().toISOString(),
          VersionId: String(Number(current.VersionId) + 1),
          IsRegisteredWithLakeFormation: false,
        });
      });
      return {};
    },

    async DeleteTable(input, ctx) {
      checkCatalog(input, ctx);
      const db = nameOf(input, "DatabaseName");
      const name = nameOf(input, "Name");
      await store.transact((tx) => {
        if (!tx.get(DATABASES, db)) throw entityNotFound(`Database ${db} not found.`);
        if (!tx.get(TABLES, tableKey(db, name))) throw entityNotFound(`Table ${name} not found.`);
        tx.delete(TABLES, tableKey(db, name));
      });
      return {};
    },
  };

  const service: AwsService = { signingName: "glue", operations };
  return {
    service,
    providers: [glueDatabaseProvider(service), glueTableProvider(service)],
    async getTable(databaseName, tableName) {
      return renderTable(tableOf(databaseName.toLowerCase(), tableName.toLowerCase()));
    },
  };
}
