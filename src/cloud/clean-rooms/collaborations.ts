import { z } from "zod";
import type { CloudDeps } from "../deps.ts";
import { parseInput, requireString } from "../kit/inputs.ts";
import { newResourceId } from "../kit/resource-ids.ts";
import { compact, toDate } from "../kit/shapes.ts";
import type { Operation, RequestContext } from "../service.ts";
import { crAccessDenied, crConflict, crNotFound } from "./errors.ts";
import { listPage, pick } from "./list-page.ts";
import {
  type CollaborationRecord,
  CR_TABLES,
  crArn,
  type MemberAbility,
  type MembershipRecord,
} from "./records.ts";

const Ability = z.enum(["CAN_QUERY", "CAN_RUN_JOB", "CAN_RECEIVE_RESULTS"]);
const DisplayName = z.string().min(1).max(100);
const Payment = z.record(z.string(), z.unknown());
const MLAbilities = z.object({
  customMLMemberAbilities: z
    .array(z.enum(["CAN_RECEIVE_MODEL_OUTPUT", "CAN_RECEIVE_INFERENCE_OUTPUT"]))
    .min(1),
});

const CreateCollaborationInput = z.object({
  members: z
    .array(
      z.object({
        accountId: z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id"),
        memberAbilities: z.array(Ability),
        mlMemberAbilities: MLAbilities.optional(),
        displayName: DisplayName,
        paymentConfiguration: Payment.optional(),
      }),
    )
    .max(9),
  name: DisplayName,
  description: z.string().min(1).max(255),
  creatorMemberAbilities: z.array(Ability),
  creatorMLMemberAbilities: MLAbilities.optional(),
  creatorDisplayName: DisplayName,
  dataEncryptionMetadata: z.record(z.string(), z.boolean()).optional(),
  queryLogStatus: z.enum(["ENABLED", "DISABLED"]),
  jobLogStatus: z.enum(["ENABLED", "DISABLED"]).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  creatorPaymentConfiguration: Payment.optional(),
  analyticsEngine: z.enum(["CLEAN_ROOMS_SQL", "SPARK"]).optional(),
  autoApprovedChangeRequestTypes: z
    .array(z.enum(["ADD_MEMBER", "GRANT_RECEIVE_RESULTS_ABILITY", "REVOKE_RECEIVE_RESULTS_ABILITY"]))
    .optional(),
  allowedResultRegions: z.array(z.string()).optional(),
  isMetricsEnabled: z.boolean().optional(),
});

const UpdateCollaborationInput = z.object({
  collaborationIdentifier: z.string(),
  name: DisplayName.optional(),
  description: z.string().min(1).max(255).optional(),
  analyticsEngine: z.enum(["CLEAN_ROOMS_SQL", "SPARK"]).optional(),
});

/** The collaboration, if the caller's account is one of its members (Clean Rooms hides it otherwise). */
export function collaborationFor(deps: CloudDeps, ctx: RequestContext, id: string): CollaborationRecord {
  const record = deps.store.get<CollaborationRecord>(CR_TABLES.collaborations, id);
  if (!record) throw crNotFound("COLLABORATION", id, `Collaboration ${id} not found`);
  if (!record.members.some((member) => member.accountId === ctx.accountId)) {
    throw crAccessDenied(`Account ${ctx.accountId} is not a member of collaboration ${id}`);
  }
  return record;
}

export function describeCollaboration(record: CollaborationRecord, accountId: string) {
  const me = record.members.find((member) => member.accountId === accountId);
  return compact({
    id: record.id,
    arn: record.arn,
    name: record.name,
    description: record.description,
    creatorAccountId: record.creatorAccountId,
    creatorDisplayName: record.creatorDisplayName,
    createTime: toDate(record.createTime),
    updateTime: toDate(record.updateTime),
    memberStatus: me?.status,
    membershipId: me?.membershipId,
    membershipArn: me?.membershipArn,
    dataEncryptionMetadata: record.dataEncryptionMetadata,
    queryLogStatus: record.queryLogStatus,
    jobLogStatus: record.jobLogStatus,
    analyticsEngine: record.analyticsEngine,
    autoApprovedChangeTypes: record.autoApprovedChangeTypes,
    allowedResultRegions: record.allowedResultRegions,
    isMetricsEnabled: record.isMetricsEnabled,
  });
}

export function collaborationOperations(deps: CloudDeps): Record<string, Operation> {
  const { store } = deps;
  return {
    async CreateCollaboration(input, ctx) {
      const request = parseInput(CreateCollaborationInput, input);
      const now = Date.now();
      const id = newResourceId();
      const defaultPayment = (payer: boolean) => ({ queryCompute: { isResponsible: payer } });
      const record: CollaborationRecord = compact({
        id,
        arn: crArn(ctx.region, ctx.accountId, `collaboration/${id}`),
        name: request.name,
        description: request.description,
        creatorAccountId: ctx.accountId,
        creatorDisplayName: request.creatorDisplayName,
        createTime: now,
        updateTime: now,
        queryLogStatus: request.queryLogStatus,
        jobLogStatus: request.jobLogStatus,
        dataEncryptionMetadata: request.dataEncryptionMetadata,
        analyticsEngine: request.analyticsEngine,
        // CreateCollaboration's member is autoApprovedChangeRequestTypes; Collaboration's is autoApprovedChangeTypes.
        autoApprovedChangeTypes: request.autoApprovedChangeRequestTypes,
        allowedResultRegions: request.allowedResultRegions,
        isMetricsEnabled: request.isMetricsEnabled,
        members: [
          {
            accountId: ctx.accountId,
            displayName: request.creatorDisplayName,
            abilities: request.creatorMemberAbilities as MemberAbility[],
            ...(request.creatorMLMemberAbilities ? { mlAbilities: request.creatorMLMemberAbilities } : {}),
            status: "INVITED" as const,
            paymentConfiguration:
              request.creatorPaymentConfiguration ??
              defaultPayment(request.creatorMemberAbilities.includes("CAN_QUERY")),
            createTime: now,
            updateTime: now,
          },
          ...request.members.map((member) => ({
            accountId: member.accountId,
            displayName: member.displayName,
            abilities: member.memberAbilities as MemberAbility[],
            ...(member.mlMemberAbilities ? { mlAbilities: member.mlMemberAbilities } : {}),
            status: "INVITED" as const,
            paymentConfiguration: member.paymentConfiguration ?? defaultPayment(false),
            createTime: now,
            updateTime: now,
          })),
        ],
        tags: request.tags ?? {},
      });
      await store.transact((tx) => tx.put(CR_TABLES.collaborations, id, record));
      return { collaboration: describeCollaboration(record, ctx.accountId) };
    },

    async GetCollaboration(input, ctx) {
      const record = collaborationFor(deps, ctx, requireString(input, "collaborationIdentifier"));
      return { collaboration: describeCollaboration(record, ctx.accountId) };
    },

    async UpdateCollaboration(input, ctx) {
      const request = parseInput(UpdateCollaborationInput, input);
      const current = collaborationFor(deps, ctx, request.collaborationIdentifier);
      if (current.creatorAccountId !== ctx.accountId) {
        throw crAccessDenied(`Only the creator of collaboration ${current.id} can update it`);
      }
      const next: CollaborationRecord = { ...structuredClone(current), updateTime: Date.now() };
      if (request.name !== undefined) next.name = request.name;
      if (request.description !== undefined) next.description = request.description;
      if (request.analyticsEngine !== undefined) next.analyticsEngine = request.analyticsEngine;
      await store.transact((tx) => tx.put(CR_TABLES.collaborations, next.id, next));
      return { collaboration: describeCollaboration(next, ctx.accountId) };
    },

    async DeleteCollaboration(input, ctx) {
      const current = collaborationFor(deps, ctx, requireString(input, "collaborationIdentifier"));
      if (current.creatorAccountId !== ctx.accountId) {
        throw crAccessDenied(`Only the creator of collaboration ${current.id} can delete it`);
      }
      const memberships = store
        .list<MembershipRecord>(CR_TABLES.memberships)
        .filter(
          ([, membership]) => membership.collaborationId === current.id && membership.status === "ACTIVE",
        );
      await store.transact((tx) => {
        tx.delete(CR_TABLES.collaborations, current.id);
        // Deleting a collaboration leaves its members' memberships in COLLABORATION_DELETED.
        for (const [key, membership] of memberships) {
          tx.put(CR_TABLES.memberships, key, {
            ...membership,
            status: "COLLABORATION_DELETED",
            updateTime: Date.now(),
          });
        }
      });
      return {};
    },

    async ListMembers(input, ctx) {
      const record = collaborationFor(deps, ctx, requireString(input, "collaborationIdentifier"));
      const all = record.members.map((member) =>
        compact({
          accountId: member.accountId,
          status: member.status,
          displayName: member.displayName,
          abilities: member.abilities,
          mlAbilities: member.mlAbilities,
          createTime: toDate(member.createTime),
          updateTime: toDate(member.updateTime),
          membershipId: member.membershipId,
          membershipArn: member.membershipArn,
          paymentConfiguration: member.paymentConfiguration,
        }),
      );
      return listPage("memberSummaries", all, input);
    },

    async ListCollaborations(input, ctx) {
      const memberStatus = input["memberStatus"] as string | undefined;
      const all = store
        .list<CollaborationRecord>(CR_TABLES.collaborations)
        .map(([, record]) => record)
        .filter((record) => record.members.some((member) => member.accountId === ctx.accountId))
        .filter(
          (record) =>
            !memberStatus || describeCollaboration(record, ctx.accountId).memberStatus === memberStatus,
        )
        .sort((a, b) => a.createTime - b.createTime)
        .map((record) =>
          pick(describeCollaboration(record, ctx.accountId), [
            "id",
            "arn",
            "name",
            "creatorAccountId",
            "creatorDisplayName",
            "createTime",
            "updateTime",
            "memberStatus",
            "membershipId",
            "membershipArn",
            "analyticsEngine",
          ]),
        );
      return listPage("collaborationList", all, input);
    },
  };
}

/** Marks a conflict on an already-existing membership, used by memberships.ts. */
export const membershipExists = (collaborationId: string, accountId: string) =>
  crConflict(
    "MEMBERSHIP",
    collaborationId,
    "ALREADY_EXISTS",
    `Account ${accountId} already has a membership in collaboration ${collaborationId}`,
  );
export { crNotFound };
