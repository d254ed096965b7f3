import { z } from "zod";
import type { CloudDeps } from "../deps.ts";
import { parseInput, requireString } from "../kit/inputs.ts";
import { newResourceId } from "../kit/resource-ids.ts";
import { compact, toDate } from "../kit/shapes.ts";
import type { Operation, RequestContext } from "../service.ts";
import { collaborationFor, membershipExists } from "./collaborations.ts";
import { crConflict, crNotFound, crValidation } from "./errors.ts";
import { listPage, pick } from "./list-page.ts";
import { type CollaborationRecord, CR_TABLES, crArn, type MembershipRecord } from "./records.ts";

const LogStatus = z.enum(["ENABLED", "DISABLED"]);

// Shapes and limits of botocore cleanrooms/2022-02-17: MembershipProtectedQueryResultConfiguration,
// MembershipProtectedJobResultConfiguration, RoleArn, KeyPrefix and the S3 bucket strings.
const RoleArn = z
  .string()
  .min(32)
  .max(512)
  .regex(/arn:aws:iam::[\w]+:role\/[\w+=./@-]+/, "must be an IAM role ARN");
const Bucket = z.string().min(3).max(63);
const KeyPrefix = z
  .string()
  .max(512)
  .regex(/^[\w!.=*/-]*$/, "may hold only letters, digits and !.=*/-");
const DefaultResultConfiguration = z.object({
  outputConfiguration: z.object({
    s3: z.object({
      resultFormat: z.enum(["CSV", "PARQUET"]),
      bucket: Bucket,
      keyPrefix: KeyPrefix.optional(),
      singleFileOutput: z.boolean().optional(),
    }),
  }),
  roleArn: RoleArn.optional(),
});
const DefaultJobResultConfiguration = z.object({
  outputConfiguration: z.object({ s3: z.object({ bucket: Bucket, keyPrefix: KeyPrefix.optional() }) }),
  roleArn: RoleArn,
});

const CreateMembershipInput = z.object({
  collaborationIdentifier: z.string(),
  queryLogStatus: LogStatus,
  jobLogStatus: LogStatus.optional(),
  tags: z.record(z.string(), z.string()).optional(),
  defaultResultConfiguration: DefaultResultConfiguration.optional(),
  defaultJobResultConfiguration: DefaultJobResultConfiguration.optional(),
  paymentConfiguration: z.record(z.string(), z.unknown()).optional(),
  isMetricsEnabled: z.boolean().optional(),
});

const UpdateMembershipInput = z.object({
  membershipIdentifier: z.string(),
  queryLogStatus: LogStatus.optional(),
  jobLogStatus: LogStatus.optional(),
  defaultResultConfiguration: DefaultResultConfiguration.optional(),
  defaultJobResultConfiguration: DefaultJobResultConfiguration.optional(),
});

/** The caller's membership; another account's membership is as good as absent. */
export function membershipFor(deps: CloudDeps, ctx: RequestContext, id: string): MembershipRecord {
  const record = deps.store.get<MembershipRecord>(CR_TABLES.memberships, id);
  if (!record || record.accountId !== ctx.accountId)
    throw crNotFound("MEMBERSHIP", id, `Membership ${id} not found`);
  return record;
}

/** An ACTIVE membership of the caller, for operations that add resources to it. */
export function activeMembershipFor(deps: CloudDeps, ctx: RequestContext, id: string): MembershipRecord {
  const record = membershipFor(deps, ctx, id);
  if (record.status !== "ACTIVE") {
    throw crValidation(
      `Membership ${id} is ${record.status}; only an ACTIVE membership can take new resources`,
      "INVALID_CONFIGURATION",
    );
  }
  return record;
}

export function describeMembership(deps: CloudDeps, record: MembershipRecord) {
  const collaboration = deps.store.get<CollaborationRecord>(CR_TABLES.collaborations, record.collaborationId);
  const member = collaboration?.members.find((m) => m.accountId === record.accountId);
  return compact({
    id: record.id,
    arn: record.arn,
    collaborationArn:
      collaboration?.arn ?? crArn("us-east-1", "000000000000", `collaboration/${record.collaborationId}`),
    collaborationId: record.collaborationId,
    collaborationCreatorAccountId: collaboration?.creatorAccountId ?? "",
    collaborationCreatorDisplayName: collaboration?.creatorDisplayName ?? "",
    collaborationName: collaboration?.name ?? "",
    createTime: toDate(record.createTime),
    updateTime: toDate(record.updateTime),
    status: record.status,
    memberAbilities: member?.abilities ?? [],
    mlMemberAbilities: member?.mlAbilities,
    queryLogStatus: record.queryLogStatus,
    jobLogStatus: record.jobLogStatus,
    defaultResultConfiguration: record.defaultResultConfiguration,
    defaultJobResultConfiguration: record.defaultJobResultConfiguration,
    paymentConfiguration: record.paymentConfiguration,
    isMetricsEnabled: record.isMetricsEnabled,
  });
}

export function membershipOperations(deps: CloudDeps): Record<string, Operation> {
  const { store } = deps;
  return {
    async CreateMembership(input, ctx) {
      const request = parseInput(CreateMembershipInput, input);
      const collaboration = collaborationFor(deps, ctx, request.collaborationIdentifier);
      const member = collaboration.members.find((m) => m.accountId === ctx.accountId)!;
      if (member.status !== "INVITED") throw membershipExists(collaboration.id, ctx.accountId);
      const now = Date.now();
      const id = newResourceId();
      const record: MembershipRecord = compact({
        id,
        arn: crArn(ctx.region, ctx.accountId, `membership/${id}`),
        accountId: ctx.accountId,
        collaborationId: collaboration.id,
        createTime: now,
        updateTime: now,
        status: "ACTIVE" as const,
        queryLogStatus: request.queryLogStatus,
        jobLogStatus: request.jobLogStatus,
        defaultResultConfiguration: request.defaultResultConfiguration,
        defaultJobResultConfiguration: request.defaultJobResultConfiguration,
        paymentConfiguration: request.paymentConfiguration ?? member.paymentConfiguration,
        isMetricsEnabled: request.isMetricsEnabled,
        tags: request.tags ?? {},
      });
      await store.transact((tx) => {
        const fresh = tx.get<CollaborationRecord>(CR_TABLES.collaborations, collaboration.id)!;
        if (fresh.members.find((m) => m.accountId === ctx.accountId)?.status !== "INVITED") {
          throw membershipExists(collaboration.id, ctx.accountId);
        }
        const next = structuredClone(fresh);
        const me = next.members.find((m) => m.accountId === ctx.accountId)!;
        Object.assign(me, { status: "ACTIVE", membershipId: id, membershipArn: record.arn, updateTime: now });
        tx.put(CR_TABLES.collaborations, next.id, next);
        tx.put(CR_TABLES.memberships, id, record);
      });
      return { membership: describeMembership(deps, record) };
    },

    async GetMembership(input, ctx) {
      return {
        membership: describeMembership(
          deps,
          membershipFor(deps, ctx, requireString(input, "membershipIdentifier")),
        ),
      };
    },

    async UpdateMembership(input, ctx) {
      const request = parseInput(UpdateMembershipInput, input);
      const current = membershipFor(deps, ctx, request.membershipIdentifier);
      const next: MembershipRecord = { ...structuredClone(current), updateTime: Date.now() };
      if (request.queryLogStatus !== undefined) next.queryLogStatus = request.queryLogStatus;
      if (request.jobLogStatus !== undefined) next.jobLogStatus = request.jobLogStatus;
      if (request.defaultResultConfiguration !== undefined)
        next.defaultResultConfiguration = request.defaultResultConfiguration;
      if (request.defaultJobResultConfiguration !== undefined)
        next.defaultJobResultConfiguration = request.defaultJobResultConfiguration;
      await store.transact((tx) => tx.put(CR_TABLES.memberships, next.id, next));
      return { membership: describeMembership(deps, next) };
    },

    async DeleteMembership(input, ctx) {
      const current = membershipFor(deps, ctx, requireString(input, "membershipIdentifier"));
      const children = [
        ...store.list(CR_TABLES.idNamespaceAssociations, `${current.id}/`),
        ...store.list(CR_TABLES.idMappingTables, `${current.id}/`),
      ];
      if (children.length > 0) {
        throw crConflict(
          "MEMBERSHIP",
          current.id,
          "SUBRESOURCES_EXIST",
          `Membership ${current.id} still has ${children.length} ID namespace association(s) or ID mapping table(s); delete them first`,
        );
      }
      await store.transact((tx) => {
        tx.delete(CR_TABLES.memberships, current.id);
        const collaboration = tx.get<CollaborationRecord>(CR_TABLES.collaborations, current.collaborationId);
        if (collaboration) {
          const next = structuredClone(collaboration);
          const me = next.members.find((m) => m.accountId === ctx.accountId);
          if (me) {
            me.status = "LEFT";
            delete me.membershipId;
            delete me.membershipArn;
            me.updateTime = Date.now();
          }
          tx.put(CR_TABLES.collaborations, next.id, next);
        }
      });
      return {};
    },

    async ListMemberships(input, ctx) {
      const status = input["status"] as string | undefined;
      const all = store
        .list<MembershipRecord>(CR_TABLES.memberships)
        .map(([, record]) => record)
        .filter((record) => record.accountId === ctx.accountId && (!status || record.status === status))
        .sort((a, b) => a.createTime - b.createTime)
        .map((record) =>
          pick(describeMembership(deps, record), [
            "id",
            "arn",
            "collaborationArn",
            "collaborationId",
            "collaborationCreatorAccountId",
            "collaborationCreatorDisplayName",
            "collaborationName",
            "createTime",
            "updateTime",
            "status",
            "memberAbilities",
            "paymentConfiguration",
          ]),
        );
      return listPage("membershipSummaries", all, input);
    },
  };
}
