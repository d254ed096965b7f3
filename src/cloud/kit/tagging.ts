import type { Operation, RequestContext } from "../service.ts";
import type { Store } from "../store.ts";
import { requireString } from "./inputs.ts";

/** A stored record that carries its resource's tags (as Entity Resolution's and Clean Rooms' records do). */
interface Tagged {
  tags: Record<string, string>;
}

export interface TaggingOptions {
  /** The store table and key of the resource an ARN names; throws the service's not-found error. */
  locate(arn: string): { table: string; key: string };
  /** TagResource's input checked the service's way: the resource ARN and the tags to set. */
  readTagResource(input: Record<string, unknown>): { resourceArn: string; tags: Record<string, string> };
}

/**
 * TagResource, UntagResource and ListTagsForResource of a service whose API takes `resourceArn`,
 * `tags` (a map) and `tagKeys`, as Entity Resolution's and Clean Rooms' do.
 */
export function tagOperations(store: Store, options: TaggingOptions): Record<string, Operation> {
  return {
    async TagResource(input) {
      const { resourceArn, tags } = options.readTagResource(input);
      const { table, key } = options.locate(resourceArn);
      await store.transact((tx) => {
        const current = tx.get<Tagged>(table, key)!;
        tx.put(table, key, { ...current, tags: { ...current.tags, ...tags } });
      });
      return {};
    },
    async UntagResource(input) {
      const { table, key } = options.locate(requireString(input, "resourceArn"));
      const raw = input["tagKeys"];
      const keys = Array.isArray(raw) ? raw.map(String) : typeof raw === "string" ? [raw] : [];
      await store.transact((tx) => {
        const current = tx.get<Tagged>(table, key)!;
        const tags = Object.fromEntries(
          Object.entries(current.tags).filter(([name]) => !keys.includes(name)),
        );
        tx.put(table, key, { ...current, tags });
      });
      return {};
    },
    async ListTagsForResource(input) {
      const { table, key } = options.locate(requireString(input, "resourceArn"));
      return { tags: { ...store.get<Tagged>(table, key)!.tags } };
    },
  };
}

/** Brings a resource's tags to the desired map with the service's TagResource/UntagResource (providers use it). */
export async function syncTags(
  operations: Readonly<Record<string, Operation>>,
  resourceArn: string,
  current: Record<string, string> | undefined,
  desired: Record<string, string> | undefined,
  ctx: RequestContext,
): Promise<void> {
  const have = current ?? {};
  const want = desired ?? {};
  const removed = Object.keys(have).filter((key) => !(key in want));
  const changed = Object.fromEntries(Object.entries(want).filter(([key, value]) => have[key] !== value));
  if (removed.length > 0) await operations["UntagResource"]!({ resourceArn, tagKeys: removed }, ctx);
  if (Object.keys(changed).length > 0) await operations["TagResource"]!({ resourceArn, tags: changed }, ctx);
}
