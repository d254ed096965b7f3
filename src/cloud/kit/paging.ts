import { validation } from "../aws-error.ts";

/**
 * Page tokens. A token is opaque to callers: the position of the next page (an offset, or the last
 * key handed out) as base64url text. Each service decides what a bad token means (its own error).
 */
export const encodePageToken = (position: string | number): string =>
  Buffer.from(String(position), "utf8").toString("base64url");

export const decodePageToken = (token: unknown): string =>
  Buffer.from(String(token), "base64url").toString("utf8");

/** The offset an offset token carries, or undefined when the token is not one. */
export function decodeOffsetToken(token: unknown): number | undefined {
  const offset = Number(decodePageToken(token));
  return Number.isInteger(offset) && offset >= 0 ? offset : undefined;
}

/** The items from `start` on, at most `max`, and the token of the page after it when there is one. */
export function pageFrom<T>(items: T[], start: number, max: number): { page: T[]; next?: string } {
  const page = items.slice(start, start + max);
  return start + max < items.length ? { page, next: encodePageToken(start + max) } : { page };
}

/**
 * nextToken/maxResults paging over an ordered list (Entity Resolution's and Clean Rooms' List
 * operations). A token that does not parse is a ValidationException, as on AWS.
 */
export function paginate<T>(
  items: T[],
  input: { nextToken?: unknown; maxResults?: unknown },
  defaultMax = 25,
): { page: T[]; nextToken?: string } {
  const max = input.maxResults === undefined ? defaultMax : Number(input.maxResults);
  if (!Number.isInteger(max) || max < 1) throw validation("maxResults must be a positive integer");
  let start = 0;
  if (input.nextToken !== undefined && input.nextToken !== "") {
    const decoded = decodeOffsetToken(input.nextToken);
    if (decoded === undefined) throw validation("nextToken is not valid");
    start = decoded;
  }
  const { page, next } = pageFrom(items, start, max);
  return next === undefined ? { page } : { page, nextToken: next };
}
