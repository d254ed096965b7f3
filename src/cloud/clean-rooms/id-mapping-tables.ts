import { z } from "zod";
import type { CloudDeps } from "../deps.ts";
import type { EntityResolutionInternals } from "../entity-resolution/index.ts";
import { parseErArn } from "../entity-resolution/index.ts";
import { parseInput, requireString } from "../kit/inputs.ts";
import { compact, toDate } from "../kit/shapes.ts";
import type { Operation, RequestContext } from "../service.ts";
import { crNotFound, crValidation } from "./errors.ts";
import { collaborationAssociations } from "./id-namespace-associations.ts";
import { listPage, pick } from "./list-page.ts";
import { membershipChildren } from "./membership-children.ts";
import { activeMembershipFor } from "./memberships.ts";
import { CR_TABLES, childKey, type IdMappingTableRecord } from "./records.ts";

/** Quota: ID mapping tables per membership. */
export const MAX_TABLES_PER_MEMBERSHIP = 5;

const CreateIdMappingTableInput = z.object({
  membershipIdentifier: z.string(),
  name: z
    .string()
    .max(128)
    .regex(
      /^[a-zA-Z0-9_](([a-zA-Z0-9_ ]+-)*([a-zA-Z0-9_ ]+))?$/,
      "may contain letters, digits, '_', spaces and single '-'",
    ),
  description: z.string().max(255).optional(),
  inputReferenceConfig: z.object({
    inputReferenceArn: z.string().min(20).max(2048),
    manageResourcePolicies: z.boolean(),
  }),
  tags: z.record(z.string(), z.string()).optional(),
  kmsKeyArn: z.string().min(4).max(2048).optional(),
});

const UpdateIdMappingTableInput = z.object({
  idMappingTableIdentifier: z.string(),
  membershipIdentifier: z.string(),
  description: z.string().max(255).optional(),
  kmsKeyArn: z.string().min(4).max(2048).optional(),
});

export function idMappingTableOperations(
  deps: CloudDeps,
  er: () => Promise<EntityResolutionInternals>,
): Record<string, Operation> {
  const { store } = deps;
  const tables = membershipChildren<IdMappingTableRecord>(deps, CR_TABLES.idMappingTables, (id) =>
    crNotFound("ID_MAPPING_TABLE", id, `ID mapping table ${id} not found`),
  );
  const describe = (record: IdMappingTableRecord) => {
    const { collaborationArn, membershipArn } = tables.arnsOf(record);
    return compact({
      id: record.id,
      arn: record.arn,
      inputReferenceConfig: record.inputReferenceConfig,
      membershipId: record.membershipId,
      membershipArn,
      collaborationId: record.collaborationId,
      collaborationArn,
      description: record.description,
      name: record.name,
      createTime: toDate(record.createTime),
      updateTime: toDate(record.updateTime),
      inputReferenceProperties: record.inputReferenceProperties,
      kmsKeyArn: record.kmsKeyArn,
    });
  };
  const requireTable = (ctx: RequestContext, input: Record<string, unknown>) =>
    tables.requireIn(ctx, input, "idMappingTableIdentifier");
  return {
    async CreateIdMappingTable(input, ctx) {
      const request = parseInput(CreateIdMappingTableInput, input);
      const membership = activeMembershipFor(deps, ctx, request.membershipIdentifier);
      const workflowArn = request.inputReferenceConfig.inputReferenceArn;
      const parsed = parseErArn(workflowArn, "idmappingworkflow");
      if (!parsed) {
        throw crValidation(
          "inputReferenceConfig.inputReferenceArn must be an Entity Resolution ID mapping workflow ARN (arn:aws:entityresolution:<region>:<account>:idmappingworkflow/<name>)",
        );
      }
      const workflow = (await er()).getIdMappingWorkflowByArn(workflowArn);
      if (!workflow || parsed.accountId !== ctx.accountId) {
        throw crValidation(
          `The ID mapping workflow ${workflowArn} does not exist in account ${ctx.accountId}`,
        );
      }
      // Each input of the workflow must be an ID namespace associated with this collaboration.
      const associations = collaborationAssociations(deps, membership.collaborationId);
      const inputSources = workflow.inputSourceConfig.map((source, index) => {
        const association = associations.find(
          (a) => a.inputReferenceConfig.inputReferenceArn === source.inputSourceARN,
        );
        if (!association) {
          throw crValidation(
            `Input source ${index} of workflow ${workflow.workflowName} (${source.inputSourceARN}) is not an ID namespace associated with collaboration ${membership.collaborationId}; associate it first (CreateIdNamespaceAssociation)`,
          );
        }
        return {
          idNamespaceAssociationId: association.id,
          type: association.inputReferenceProperties.idNamespaceType,
        };
      });
      tables.assertRoom(membership.id, MAX_TABLES_PER_MEMBERSHIP, "ID mapping tables");
      const record: IdMappingTableRecord = compact({
        ...tables.newRecord(ctx, membership, "idmappingtable", request),
        inputReferenceProperties: { idMappingTableInputSource: inputSources },
        kmsKeyArn: request.kmsKeyArn,
      });
      await tables.createWithinQuota(record, MAX_TABLES_PER_MEMBERSHIP, "ID mapping tables");
      return { idMappingTable: describe(record) };
    },

    async GetIdMappingTable(input, ctx) {
      return { idMappingTable: describe(requireTable(ctx, input)) };
    },

    async UpdateIdMappingTable(input, ctx) {
      const request = parseInput(UpdateIdMappingTableInput, input);
      const current = tables.require(ctx, request.membershipIdentifier, request.idMappingTableIdentifier);
      const next: IdMappingTableRecord = { ...structuredClone(current), updateTime: Date.now() };
      if (request.description !== undefined) next.description = request.description;
      if (request.kmsKeyArn !== undefined) next.kmsKeyArn = request.kmsKeyArn;
      await tables.put(next);
      return { idMappingTable: describe(next) };
    },

    async DeleteIdMappingTable(input, ctx) {
      await tables.delete(requireTable(ctx, input));
      return {};
    },

    async ListIdMappingTables(input, ctx) {
      const all = tables
        .listOf(ctx, requireString(input, "membershipIdentifier"))
        .map((record) =>
          pick(describe(record), [
            "collaborationArn",
            "collaborationId",
            "membershipId",
            "membershipArn",
            "createTime",
            "updateTime",
            "id",
            "arn",
            "description",
            "inputReferenceConfig",
            "name",
          ]),
        );
      return listPage("idMappingTableSummaries", all, input);
    },

    async PopulateIdMappingTable(input, ctx) {
      const current = requireTable(ctx, input);
      const jobId = await (await er()).startIdMappingJob(current.inputReferenceConfig.inputReferenceArn);
      await store.transact((tx) => {
        const fresh = tx.get<IdMappingTableRecord>(
          CR_TABLES.idMappingTables,
          childKey(current.membershipId, current.id),
        );
        if (fresh) {
          tx.put(CR_TABLES.idMappingTables, childKey(current.membershipId, current.id), {
            ...fresh,
            lastPopulateJobId: jobId,
            lastPopulateTime: Date.now(),
            updateTime: Date.now(),
          });
        }
      });
      return { idMappingJobId: populateJobId(jobId) };
    },
  };
}

/**
 * Clean Rooms' model types PopulateIdMappingTable's idMappingJobId as a UUID, while Entity
 * Resolution's JobId is 32 hex digits ([a-f0-9]{32}); the local cloud answers the same 128 bits of
 * the ER job in UUID form, and `erJobIdOf` reads them back.
 */
const populateJobId = (erJobId: string) =>
  erJobId.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
export const erJobIdOf = (idMappingJobId: string) => idMappingJobId.replace(/-/g, "");
