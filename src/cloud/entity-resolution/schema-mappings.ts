import { CreateSchemaMappingInput } from "../../schemas/entity-resolution-api.ts";
import { notFound, validation } from "../aws-error.ts";
import type { CloudDeps } from "../deps.ts";
import { parseInput, requireString } from "../kit/inputs.ts";
import { paginate } from "../kit/paging.ts";
import { compact, toDate } from "../kit/shapes.ts";
import type { Operation, RequestContext } from "../service.ts";
import { erArn } from "./arns.ts";
import { conflict } from "./errors.ts";
import {
  accountKey,
  ER_TABLES,
  type IdMappingWorkflowRecord,
  type IdNamespaceRecord,
  type SchemaMappingRecord,
} from "./records.ts";

const UpdateSchemaMappingInput = CreateSchemaMappingInput.omit({ tags: true });

export function getSchemaMapping(deps: CloudDeps, accountId: string, schemaName: string) {
  return deps.store.get<SchemaMappingRecord>(ER_TABLES.schemaMappings, accountKey(accountId, schemaName));
}

/** Whether a namespace or workflow of the account reads its input through this schema mapping. */
export function schemaMappingInUse(deps: CloudDeps, accountId: string, schemaName: string): boolean {
  const prefix = `${accountId}/`;
  const namespaces = deps.store.list<IdNamespaceRecord>(ER_TABLES.idNamespaces, prefix);
  const workflows = deps.store.list<IdMappingWorkflowRecord>(ER_TABLES.idMappingWorkflows, prefix);
  return (
    namespaces.some(([, ns]) => ns.inputSourceConfig?.some((source) => source.schemaName === schemaName)) ||
    workflows.some(([, wf]) => wf.inputSourceConfig.some((source) => source.schemaName === schemaName))
  );
}

function requireSchemaMapping(deps: CloudDeps, ctx: RequestContext, schemaName: string): SchemaMappingRecord {
  const record = getSchemaMapping(deps, ctx.accountId, schemaName);
  if (!record) throw notFound(`The schema mapping ${schemaName} does not exist`);
  return record;
}

function describe(deps: CloudDeps, accountId: string, record: SchemaMappingRecord) {
  return compact({
    schemaName: record.schemaName,
    schemaArn: record.schemaArn,
    description: record.description,
    mappedInputFields: record.mappedInputFields,
    createdAt: toDate(record.createdAt),
    updatedAt: toDate(record.updatedAt),
    tags: record.tags,
    hasWorkflows: schemaMappingInUse(deps, accountId, record.schemaName),
  });
}

function assertOneUniqueId(fields: CreateSchemaMappingInput["mappedInputFields"]): void {
  const ids = fields.filter((field) => field.type === "UNIQUE_ID").length;
  if (ids !== 1) {
    throw validation(`mappedInputFields must hold exactly one field of type UNIQUE_ID (found ${ids})`);
  }
}

export function schemaMappingOperations(deps: CloudDeps): Record<string, Operation> {
  const { store } = deps;
  return {
    async CreateSchemaMapping(input, ctx) {
      const request = parseInput(CreateSchemaMappingInput, input);
      assertOneUniqueId(request.mappedInputFields);
      const now = Date.now();
      const record: SchemaMappingRecord = {
        schemaName: request.schemaName,
        schemaArn: erArn(ctx.region, ctx.accountId, "schemamapping", request.schemaName),
        ...(request.description === undefined ? {} : { description: request.description }),
        mappedInputFields: request.mappedInputFields,
        createdAt: now,
        updatedAt: now,
        tags: request.tags ?? {},
      };
      await store.transact((tx) => {
        const key = accountKey(ctx.accountId, request.schemaName);
        if (tx.get(ER_TABLES.schemaMappings, key)) {
          throw conflict(`A schema mapping named ${request.schemaName} already exists`);
        }
        tx.put(ER_TABLES.schemaMappings, key, record);
      });
      return compact({
        schemaName: record.schemaName,
        schemaArn: record.schemaArn,
        description: record.description ?? "",
        mappedInputFields: record.mappedInputFields,
      });
    },

    async GetSchemaMapping(input, ctx) {
      const record = requireSchemaMapping(deps, ctx, requireString(input, "schemaName"));
      return describe(deps, ctx.accountId, record);
    },

    async UpdateSchemaMapping(input, ctx) {
      const request = parseInput(UpdateSchemaMappingInput, input);
      assertOneUniqueId(request.mappedInputFields);
      const updated = await store.transact((tx) => {
        const key = accountKey(ctx.accountId, request.schemaName);
        const current = tx.get<SchemaMappingRecord>(ER_TABLES.schemaMappings, key);
        if (!current) throw notFound(`The schema mapping ${request.schemaName} does not exist`);
        // ER: a schema mapping is immutable while a workflow or namespace uses it.
        if (schemaMappingInUse(deps, ctx.accountId, request.schemaName)) {
          throw conflict(
            `The schema mapping ${request.schemaName} is used by a workflow or ID namespace and cannot be changed`,
          );
        }
        const next: SchemaMappingRecord = {
          ...structuredClone(current),
          mappedInputFields: request.mappedInputFields,
          updatedAt: Date.now(),
        };
        if (request.description === undefined) delete next.description;
        else next.description = request.description;
        tx.put(ER_TABLES.schemaMappings, key, next);
        return next;
      });
      return compact({
        schemaName: updated.schemaName,
        schemaArn: updated.schemaArn,
        description: updated.description,
        mappedInputFields: updated.mappedInputFields,
      });
    },

    async DeleteSchemaMapping(input, ctx) {
      const schemaName = requireString(input, "schemaName");
      await store.transact((tx) => {
        const key = accountKey(ctx.accountId, schemaName);
        if (!tx.get(ER_TABLES.schemaMappings, key)) return;
        if (schemaMappingInUse(deps, ctx.accountId, schemaName)) {
          throw conflict(
            `The schema mapping ${schemaName} is used by a workflow or ID namespace; delete those first`,
          );
        }
        tx.delete(ER_TABLES.schemaMappings, key);
      });
      // ER answers success whether or not the schema mapping existed.
      return { message: `Schema mapping ${schemaName} deleted` };
    },

    async ListSchemaMappings(input, ctx) {
      const all = store
        .list<SchemaMappingRecord>(ER_TABLES.schemaMappings, `${ctx.accountId}/`)
        .map(([, record]) => ({
          schemaName: record.schemaName,
          schemaArn: record.schemaArn,
          createdAt: toDate(record.createdAt),
          updatedAt: toDate(record.updatedAt),
          hasWorkflows: schemaMappingInUse(deps, ctx.accountId, record.schemaName),
        }));
      const { page, nextToken } = paginate(all, input);
      return compact({ schemaList: page, nextToken });
    },
  };
}
