import { type AwsError, quotaExceeded } from "../aws-error.ts";
import type { CloudDeps } from "../deps.ts";
import { requireString } from "../kit/inputs.ts";
import { newResourceId } from "../kit/resource-ids.ts";
import type { RequestContext } from "../service.ts";
import { membershipFor } from "./memberships.ts";
import {
  type CollaborationRecord,
  CR_TABLES,
  childKey,
  crArn,
  type MembershipChildRecord,
  type MembershipRecord,
} from "./records.ts";

/**
 * Store access for a resource that lives inside a membership (ID namespace associations, ID
 * mapping tables), kept in `table` under childKey(membershipId, id).
 */
export function membershipChildren<R extends MembershipChildRecord>(
  deps: CloudDeps,
  table: string,
  notFound: (id: string) => AwsError,
) {
  const { store } = deps;
  /** The record in the caller's membership, or `notFound`. */
  const requireRecord = (ctx: RequestContext, membershipId: string, id: string): R => {
    membershipFor(deps, ctx, membershipId);
    const record = store.get<R>(table, childKey(membershipId, id));
    if (!record) throw notFound(id);
    return record;
  };
  return {
    /** The collaboration's and membership's ARNs, which descriptions carry beside their ids. */
    arnsOf(record: R): { collaborationArn: string; membershipArn: string } {
      const collaboration = store.get<CollaborationRecord>(CR_TABLES.collaborations, record.collaborationId);
      const membership = store.get<{ arn: string }>(CR_TABLES.memberships, record.membershipId);
      return { collaborationArn: collaboration?.arn ?? "", membershipArn: membership?.arn ?? "" };
    },
    /** Quota check before a create: the membership must have room for one more `what` (e.g. "ID mapping tables"). */
    assertRoom(membershipId: string, max: number, what: string): void {
      const count = store.list(table, `${membershipId}/`).length;
      if (count >= max) {
        throw quotaExceeded(
          `Membership ${membershipId} already has ${count} ${what}, the maximum`,
          `${what} per membership`,
          max,
        );
      }
    },
    /**
     * Commits a new record only if the membership still has room. The check runs inside the
     * transaction (transactions are serialized and see each other's writes), so creates racing
     * across an await cannot overshoot the quota.
     */
    createWithinQuota(record: R, max: number, what: string): Promise<void> {
      return store.transact((tx) => {
        this.assertRoom(record.membershipId, max, what);
        tx.put(table, childKey(record.membershipId, record.id), record);
      });
    },
    /** The members a new record of `resource` (its ARN's type, e.g. "idmappingtable") starts with. */
    newRecord(
      ctx: RequestContext,
      membership: MembershipRecord,
      resource: string,
      request: Pick<MembershipChildRecord, "name" | "description" | "inputReferenceConfig"> & {
        tags?: Record<string, string> | undefined;
      },
    ): MembershipChildRecord {
      const now = Date.now();
      const id = newResourceId();
      return {
        id,
        arn: crArn(ctx.region, ctx.accountId, `membership/${membership.id}/${resource}/${id}`),
        membershipId: membership.id,
        collaborationId: membership.collaborationId,
        accountId: ctx.accountId,
        name: request.name,
        description: request.description,
        createTime: now,
        updateTime: now,
        inputReferenceConfig: request.inputReferenceConfig,
        tags: request.tags ?? {},
      };
    },
    /** The record an operation's input names (membershipIdentifier and `idMember`), or `notFound`. */
    requireIn(ctx: RequestContext, input: Record<string, unknown>, idMember: string): R {
      return requireRecord(ctx, requireString(input, "membershipIdentifier"), requireString(input, idMember));
    },
    require: requireRecord,
    /** The records of the caller's membership, oldest first. */
    listOf(ctx: RequestContext, membershipIdentifier: string): R[] {
      const membership = membershipFor(deps, ctx, membershipIdentifier);
      return store
        .list<R>(table, `${membership.id}/`)
        .map(([, record]) => record)
        .sort((a, b) => a.createTime - b.createTime);
    },
    put(record: R): Promise<void> {
      return store.transact((tx) => tx.put(table, childKey(record.membershipId, record.id), record));
    },
    delete(record: R): Promise<void> {
      return store.transact((tx) => tx.delete(table, childKey(record.membershipId, record.id)));
    },
  };
}
