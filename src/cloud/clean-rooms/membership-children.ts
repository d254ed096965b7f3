import type { AwsError } from "../aws-error.ts";
import type { CloudDeps } from "../deps.ts";
import type { RequestContext } from "../service.ts";
import { membershipFor } from "./memberships.ts";
import { type CollaborationRecord, CR_TABLES, childKey, type MembershipChildRecord } from "./records.ts";

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
  return {
    /** The collaboration's and membership's ARNs, which descriptions carry beside their ids. */
    arnsOf(record: R): { collaborationArn: string; membershipArn: string } {
      const collaboration = store.get<CollaborationRecord>(CR_TABLES.collaborations, record.collaborationId);
      const membership = store.get<{ arn: string }>(CR_TABLES.memberships, record.membershipId);
      return { collaborationArn: collaboration?.arn ?? "", membershipArn: membership?.arn ?? "" };
    },
    /** The record in the caller's membership, or `notFound`. */
    require(ctx: RequestContext, membershipId: string, id: string): R {
      membershipFor(deps, ctx, membershipId);
      const record = store.get<R>(table, childKey(membershipId, id));
      if (!record) throw notFound(id);
      return record;
    },
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
