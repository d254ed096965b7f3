import { AwsError } from "../../aws-error.ts";
import type { Operation, RequestContext } from "../../service.ts";

/** An operation's output as the provider reads it, member by member (Operation returns this type). */
// biome-ignore lint/suspicious/noExplicitAny: the Operation contract returns ApiObject.
export type ApiObject = Record<string, any>;

/** Runs a Get operation; ResourceNotFoundException means "absent" (undefined), anything else is thrown. */
export async function readOrUndefined(
  get: Operation,
  input: Record<string, unknown>,
  ctx: RequestContext,
): Promise<ApiObject | undefined> {
  try {
    return await get(input, ctx);
  } catch (error) {
    if (error instanceof AwsError && error.code === "ResourceNotFoundException") return undefined;
    throw error;
  }
}

/** Every item of a paginated List operation. */
export async function listAll(
  list: Operation,
  input: Record<string, unknown>,
  member: string,
  ctx: RequestContext,
): Promise<Array<ApiObject>> {
  const items: Array<ApiObject> = [];
  let nextToken: string | undefined;
  do {
    const page = await list({ ...input, ...(nextToken ? { nextToken } : {}), maxResults: 100 }, ctx);
    items.push(...((page[member] as Array<ApiObject>) ?? []));
    nextToken = page["nextToken"] as string | undefined;
  } while (nextToken);
  return items;
}

/** Brings a resource's tags to the desired map with the service's TagResource/UntagResource. */
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

export const isoTime = (value: unknown): string | undefined =>
  value instanceof Date ? value.toISOString() : undefined;

/** Drops undefined members, so models carry only the properties that are set. */
export function defined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T;
}
