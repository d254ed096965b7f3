import { CreateIdNamespaceInput } from "../../schemas/entity-resolution-api.ts";
import { notFound, validation } from "../aws-error.ts";
import type { CloudDeps } from "../deps.ts";
import { parseGlueTableArn } from "../kit/arns.ts";
import { parseInput, requireString } from "../kit/inputs.ts";
import { paginate } from "../kit/paging.ts";
import { compact, toDate } from "../kit/shapes.ts";
import type { Operation, RequestContext } from "../service.ts";
import { erArn, parseErArn } from "./arns.ts";
import { conflict } from "./errors.ts";
import { assertRoleCanReadTable } from "./inputs.ts";
import { accountKey, ER_TABLES, type IdMappingWorkflowRecord, type IdNamespaceRecord } from "./records.ts";
import { getSchemaMapping } from "./schema-mappings.ts";

const UpdateIdNamespaceInput = CreateIdNamespaceInput.pick({
  idNamespaceName: true,
  description: true,
  inputSourceConfig: true,
  idMappingWorkflowProperties: true,
  roleArn: true,
});

export function getIdNamespaceByArn(deps: CloudDeps, arn: string): IdNamespaceRecord | undefined {
  const parsed = parseErArn(arn, "idnamespace");
  if (!parsed) return undefined;
  return deps.store.get<IdNamespaceRecord>(ER_TABLES.idNamespaces, accountKey(parsed.accountId, parsed.name));
}

/** Rules the namespace defines (for ruleDefinitionTypes it offers), if any. */
export function namespaceRules(namespace: IdNamespaceRecord) {
  return namespace.idMappingWorkflowProperties?.[0]?.ruleBasedProperties;
}

function workflowsUsing(deps: CloudDeps, arn: string): string[] {
  return deps.store
    .list<IdMappingWorkflowRecord>(ER_TABLES.idMappingWorkflows)
    .filter(([, wf]) => wf.inputSourceConfig.some((source) => source.inputSourceARN === arn))
    .map(([, wf]) => wf.workflowName);
}

/**
 * ER's checks on a namespace's inputs: Glue table sources need a schema mapping of the account and
 * a role that may read them; the namespace's rules may only use match keys its schema mappings define.
 */
async function validateNamespace(
  deps: CloudDeps,
  ctx: RequestContext,
  request: Pick<CreateIdNamespaceInput, "inputSourceConfig" | "idMappingWorkflowProperties" | "roleArn">,
): Promise<void> {
  const matchKeys = new Set<string>();
  for (const [index, source] of (request.inputSourceConfig ?? []).entries()) {
    const field = `inputSourceConfig[${index}]`;
    if (parseGlueTableArn(source.inputSourceARN)) {
      if (!source.schemaName)
        throw validation(`${field}.schemaName is required for a Glue table input source`);
      const schema = getSchemaMapping(deps, ctx.accountId, source.schemaName);
      if (!schema)
        throw validation(`${field}.schemaName: the schema mapping ${source.schemaName} does not exist`);
      for (const attribute of schema.mappedInputFields)
        if (attribute.matchKey) matchKeys.add(attribute.matchKey);
      if (!request.roleArn) {
        throw validation(
          `roleArn is required: Entity Resolution needs a role to read ${source.inputSourceARN}`,
        );
      }
      await assertRoleCanReadTable(deps, request.roleArn, source.inputSourceARN);
    } else if (!parseErArn(source.inputSourceARN, "idnamespace")) {
      throw validation(`${field}.inputSourceARN must be a Glue table ARN or an ID namespace ARN`);
    }
  }
  for (const properties of request.idMappingWorkflowProperties ?? []) {
    if (properties.idMappingType === "PROVIDER") continue;
    for (const [index, rule] of (properties.ruleBasedProperties?.rules ?? []).entries()) {
      for (const key of rule.matchingKeys) {
        if (matchKeys.size > 0 && !matchKeys.has(key)) {
          throw validation(
            `idMappingWorkflowProperties[0].ruleBasedProperties.rules[${index}] (${rule.ruleName}): matching key ${key} is not a matchKey of the namespace's schema mappings (${[...matchKeys].join(", ")})`,
          );
        }
      }
    }
  }
}

function describe(record: IdNamespaceRecord) {
  return compact({
    idNamespaceName: record.idNamespaceName,
    idNamespaceArn: record.idNamespaceArn,
    description: record.description,
    inputSourceConfig: record.inputSourceConfig,
    idMappingWorkflowProperties: record.idMappingWorkflowProperties,
    type: record.type,
    roleArn: record.roleArn,
    createdAt: toDate(record.createdAt),
    updatedAt: toDate(record.updatedAt),
    tags: record.tags,
  });
}

export function idNamespaceOperations(deps: CloudDeps): Record<string, Operation> {
  const { store } = deps;
  const requireNamespace = (ctx: RequestContext, name: string) => {
    const record = store.get<IdNamespaceRecord>(ER_TABLES.idNamespaces, accountKey(ctx.accountId, name));
    if (!record) throw notFound(`The ID namespace ${name} does not exist`);
    return record;
  };
  return {
    async CreateIdNamespace(input, ctx) {
      const request = parseInput(CreateIdNamespaceInput, input);
      const key = accountKey(ctx.accountId, request.idNamespaceName);
      if (store.get(ER_TABLES.idNamespaces, key)) {
        throw conflict(`An ID namespace named ${request.idNamespaceName} already exists`);
      }
      await validateNamespace(deps, ctx, request);
      const now = Date.now();
      const record = compact({
        idNamespaceName: request.idNamespaceName,
        idNamespaceArn: erArn(ctx.region, ctx.accountId, "idnamespace", request.idNamespaceName),
        description: request.description,
        inputSourceConfig: request.inputSourceConfig,
        idMappingWorkflowProperties: request.idMappingWorkflowProperties,
        type: request.type,
        roleArn: request.roleArn,
        createdAt: now,
        updatedAt: now,
        tags: request.tags ?? {},
      }) as IdNamespaceRecord;
      await store.transact((tx) => {
        if (tx.get(ER_TABLES.idNamespaces, key)) {
          throw conflict(`An ID namespace named ${request.idNamespaceName} already exists`);
        }
        tx.put(ER_TABLES.idNamespaces, key, record);
      });
      return describe(record);
    },

    async GetIdNamespace(input, ctx) {
      return describe(requireNamespace(ctx, requireString(input, "idNamespaceName")));
    },

    async UpdateIdNamespace(input, ctx) {
      const request = parseInput(UpdateIdNamespaceInput, input);
      const current = requireNamespace(ctx, request.idNamespaceName);
      const next: IdNamespaceRecord = structuredClone(current);
      if (request.description !== undefined) next.description = request.description;
      if (request.inputSourceConfig !== undefined) next.inputSourceConfig = request.inputSourceConfig;
      if (request.idMappingWorkflowProperties !== undefined) {
        next.idMappingWorkflowProperties =
          request.idMappingWorkflowProperties as IdNamespaceRecord["idMappingWorkflowProperties"];
      }
      if (request.roleArn !== undefined) next.roleArn = request.roleArn;
      await validateNamespace(deps, ctx, next);
      next.updatedAt = Date.now();
      await store.transact((tx) =>
        tx.put(ER_TABLES.idNamespaces, accountKey(ctx.accountId, next.idNamespaceName), next),
      );
      const { tags: _tags, ...output } = describe(next);
      return output;
    },

    async DeleteIdNamespace(input, ctx) {
      const name = requireString(input, "idNamespaceName");
      const key = accountKey(ctx.accountId, name);
      const current = store.get<IdNamespaceRecord>(ER_TABLES.idNamespaces, key);
      if (current) {
        const users = workflowsUsing(deps, current.idNamespaceArn);
        if (users.length > 0) {
          throw conflict(
            `The ID namespace ${name} is an input of ID mapping workflow(s) ${users.join(", ")}; delete them first`,
          );
        }
        await store.transact((tx) => tx.delete(ER_TABLES.idNamespaces, key));
      }
      return { message: `ID namespace ${name} deleted` };
    },

    async ListIdNamespaces(input, ctx) {
      const all = store
        .list<IdNamespaceRecord>(ER_TABLES.idNamespaces, `${ctx.accountId}/`)
        .map(([, record]) =>
          compact({
            idNamespaceName: record.idNamespaceName,
            idNamespaceArn: record.idNamespaceArn,
            description: record.description,
            idMappingWorkflowProperties: record.idMappingWorkflowProperties?.map((p) => ({
              idMappingType: p.idMappingType,
            })),
            type: record.type,
            createdAt: toDate(record.createdAt),
            updatedAt: toDate(record.updatedAt),
          }),
        );
      const { page, nextToken } = paginate(all, input);
      return compact({ idNamespaceSummaries: page, nextToken });
    },
  };
}
