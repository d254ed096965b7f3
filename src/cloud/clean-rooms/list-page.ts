import { paginate } from "../kit/paging.ts";
import { compact } from "../kit/shapes.ts";

/** A Clean Rooms List answer: one page of `items` (100 unless maxResults says otherwise) in `member`. */
export function listPage<T>(
  member: string,
  items: T[],
  input: { nextToken?: unknown; maxResults?: unknown },
): Record<string, unknown> {
  const { page, nextToken } = paginate(items, input, 100);
  return compact({ [member]: page, nextToken });
}

/** A summary shape: the members of a full description that the summary has, in the summary's order. */
export function pick<T extends Record<string, unknown>, K extends keyof T>(
  full: T,
  keys: readonly K[],
): Pick<T, K> {
  return compact(Object.fromEntries(keys.map((key) => [key, full[key]])) as Pick<T, K>);
}
