import { z } from "zod";
import type { CloudDeps } from "../deps.ts";
import type { EntityResolutionInternals } from "../entity-resolution/index.ts";
import { parseErArn } from "../entity-resolution/index.ts";
import { parseInput, requireString } from "../kit/inputs.ts";
import { compact, toDate } from "../kit/shapes.ts";
import type { Operation, RequestContext } from "../service.ts";
import { collaborationFor } from "./collaborations.ts";
import { crConflict, crNotFound, crValidation } from "./errors.ts";
import { listPage, pick } from "./list-page.ts";
import { membershipChildren } from "./membership-children.ts";
import { activeMembershipFor } from "./memberships.ts";
import { CR_TABLES, type IdMappingTableRecord, type IdNamespaceAssociationRecord } from "./records.ts";

/** Quota: ID namespace associations per membership. */
export const MAX_ASSOCIATIONS_PER_MEMBERSHIP = 10;

const InputReferenceConfig = z.object({
  inputReferenceArn: z.string().min(20).max(256),
  manageResourcePolicies: z.boolean(),
});

const CreateIdNamespaceAssociationInput = z.object({
  membershipIdentifier: z.string(),
  inputReferenceConfig: InputReferenceConfig,
  tags: z.record(z.string(), z.string()).optional(),
  name: z.string().min(1).max(100),
  description: z.string().max(255).optional(),
  idMappingConfig: z.object({ allowUseAsDimensionColumn: z.boolean() }).optional(),
});

const UpdateIdNamespaceAssociationInput = z.object({
  idNamespaceAssociationIdentifier: z.string(),
  membershipIdentifier: z.string(),
  name: z.string().min(1).max(100).optional(),
  description: z.string().max(255).optional(),
  idMappingConfig: z.object({ allowUseAsDimensionColumn: z.boolean() }).optional(),
});

export function describeAssociation(
  record: IdNamespaceAssociationRecord,
  collaborationArn: string,
  membershipArn: string,
) {
  return compact({
    id: record.id,
    arn: record.arn,
    membershipId: record.membershipId,
    membershipArn,
    collaborationId: record.collaborationId,
    collaborationArn,
    name: record.name,
    description: record.description,
    createTime: toDate(record.createTime),
    updateTime: toDate(record.updateTime),
    inputReferenceConfig: record.inputReferenceConfig,
    inputReferenceProperties: record.inputReferenceProperties,
    idMappingConfig: record.idMappingConfig,
  });
}

/** Every association of every membership of a collaboration. */
export function collaborationAssociations(
  deps: CloudDeps,
  collaborationId: string,
): IdNamespaceAssociationRecord[] {
  return deps.store
    .list<IdNamespaceAssociationRecord>(CR_TABLES.idNamespaceAssociations)
    .map(([, record]) => record)
    .filter((record) => record.collaborationId === collaborationId)
    .sort((a, b) => a.createTime - b.createTime);
}

export function idNamespaceAssociationOperations(
  deps: CloudDeps,
  er: () => Promise<EntityResolutionInternals>,
): Record<string, Operation> {
  const { store } = deps;
  const associations = membershipChildren<IdNamespaceAssociationRecord>(
    deps,
    CR_TABLES.idNamespaceAssociations,
    (id) => crNotFound("ID_NAMESPACE_ASSOCIATION", id, `ID namespace association ${id} not found`),
  );
  const describe = (record: IdNamespaceAssociationRecord) => {
    const { collaborationArn, membershipArn } = associations.arnsOf(record);
    return describeAssociation(record, collaborationArn, membershipArn);
  };
  const requireAssociation = (ctx: RequestContext, input: Record<string, unknown>) =>
    associations.requireIn(ctx, input, "idNamespaceAssociationIdentifier");
  return {
    async CreateIdNamespaceAssociation(input, ctx) {
      const request = parseInput(CreateIdNamespaceAssociationInput, input);
      const membership = activeMembershipFor(deps, ctx, request.membershipIdentifier);
      const arn = request.inputReferenceConfig.inputReferenceArn;
      const parsed = parseErArn(arn, "idnamespace");
      if (!parsed) {
        throw crValidation(
          `inputReferenceConfig.inputReferenceArn must be an Entity Resolution ID namespace ARN (arn:aws:entityresolution:<region>:<account>:idnamespace/<name>)`,
        );
      }
      if (parsed.accountId !== ctx.accountId) {
        throw crValidation(
          `inputReferenceConfig.inputReferenceArn must be an ID namespace of account ${ctx.accountId}`,
        );
      }
      const namespace = (await er()).getIdNamespaceByArn(arn);
      if (!namespace) throw crValidation(`The ID namespace ${arn} does not exist`);
      const siblings = store.list<IdNamespaceAssociationRecord>(
        CR_TABLES.idNamespaceAssociations,
        `${membership.id}/`,
      );
      if (siblings.some(([, sibling]) => sibling.inputReferenceConfig.inputReferenceArn === arn)) {
        throw crConflict(
          "ID_NAMESPACE_ASSOCIATION",
          arn,
          "ALREADY_EXISTS",
          `The ID namespace ${arn} is already associated with membership ${membership.id}`,
        );
      }
      associations.assertRoom(membership.id, MAX_ASSOCIATIONS_PER_MEMBERSHIP, "ID namespace associations");
      const record: IdNamespaceAssociationRecord = compact({
        ...associations.newRecord(ctx, membership, "idnamespaceassociation", request),
        inputReferenceProperties: {
          idNamespaceType: namespace.type,
          idMappingWorkflowsSupported: (namespace.idMappingWorkflowProperties ?? []).map((p) =>
            structuredClone(p),
          ),
        },
        idMappingConfig: request.idMappingConfig,
      });
      await associations.createWithinQuota(
        record,
        MAX_ASSOCIATIONS_PER_MEMBERSHIP,
        "ID namespace associations",
      );
      return { idNamespaceAssociation: describe(record) };
    },

    async GetIdNamespaceAssociation(input, ctx) {
      return { idNamespaceAssociation: describe(requireAssociation(ctx, input)) };
    },

    async UpdateIdNamespaceAssociation(input, ctx) {
      const request = parseInput(UpdateIdNamespaceAssociationInput, input);
      const current = associations.require(
        ctx,
        request.membershipIdentifier,
        request.idNamespaceAssociationIdentifier,
      );
      const next: IdNamespaceAssociationRecord = { ...structuredClone(current), updateTime: Date.now() };
      if (request.name !== undefined) next.name = request.name;
      if (request.description !== undefined) next.description = request.description;
      if (request.idMappingConfig !== undefined) next.idMappingConfig = request.idMappingConfig;
      await associations.put(next);
      return { idNamespaceAssociation: describe(next) };
    },

    async DeleteIdNamespaceAssociation(input, ctx) {
      const current = requireAssociation(ctx, input);
      const users = store
        .list<IdMappingTableRecord>(CR_TABLES.idMappingTables)
        .filter(([, table]) =>
          table.inputReferenceProperties.idMappingTableInputSource.some(
            (s) => s.idNamespaceAssociationId === current.id,
          ),
        );
      if (users.length > 0) {
        throw crConflict(
          "ID_NAMESPACE_ASSOCIATION",
          current.id,
          "SUBRESOURCES_EXIST",
          `ID namespace association ${current.id} is an input of ID mapping table(s) ${users.map(([, t]) => t.id).join(", ")}; delete them first`,
        );
      }
      await associations.delete(current);
      return {};
    },

    async ListIdNamespaceAssociations(input, ctx) {
      const all = associations.listOf(ctx, requireString(input, "membershipIdentifier")).map((record) => ({
        ...pick(describe(record), [
          "membershipId",
          "membershipArn",
          "collaborationArn",
          "collaborationId",
          "createTime",
          "updateTime",
          "id",
          "arn",
          "inputReferenceConfig",
          "name",
          "description",
        ]),
        inputReferenceProperties: { idNamespaceType: record.inputReferenceProperties.idNamespaceType },
      }));
      return listPage("idNamespaceAssociationSummaries", all, input);
    },

    async GetCollaborationIdNamespaceAssociation(input, ctx) {
      const collaboration = collaborationFor(deps, ctx, requireString(input, "collaborationIdentifier"));
      const id = requireString(input, "idNamespaceAssociationIdentifier");
      const record = collaborationAssociations(deps, collaboration.id).find((a) => a.id === id);
      if (!record)
        throw crNotFound("ID_NAMESPACE_ASSOCIATION", id, `ID namespace association ${id} not found`);
      return {
        collaborationIdNamespaceAssociation: compact({
          id: record.id,
          arn: record.arn,
          collaborationId: collaboration.id,
          collaborationArn: collaboration.arn,
          name: record.name,
          description: record.description,
          creatorAccountId: record.accountId,
          createTime: toDate(record.createTime),
          updateTime: toDate(record.updateTime),
          inputReferenceConfig: record.inputReferenceConfig,
          inputReferenceProperties: record.inputReferenceProperties,
          idMappingConfig: record.idMappingConfig,
        }),
      };
    },

    async ListCollaborationIdNamespaceAssociations(input, ctx) {
      const collaboration = collaborationFor(deps, ctx, requireString(input, "collaborationIdentifier"));
      const all = collaborationAssociations(deps, collaboration.id).map((record) =>
        compact({
          arn: record.arn,
          createTime: toDate(record.createTime),
          id: record.id,
          updateTime: toDate(record.updateTime),
          collaborationArn: collaboration.arn,
          collaborationId: collaboration.id,
          creatorAccountId: record.accountId,
          inputReferenceConfig: record.inputReferenceConfig,
          name: record.name,
          description: record.description,
          inputReferenceProperties: { idNamespaceType: record.inputReferenceProperties.idNamespaceType },
        }),
      );
      return listPage("collaborationIdNamespaceAssociationSummaries", all, input);
    },
  };
}
