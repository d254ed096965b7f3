import type { z } from "zod";
import { AwsError, validation } from "../aws-error.ts";

/** ER's ConflictException: its model (botocore entityresolution/2018-05-10) sends it with HTTP 400, not 409. */
export const conflict = (message: string) => new AwsError("ConflictException", message, 400);

/** Parses an operation's input with its zod shape; a failure is ER's ValidationException naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`);
  throw validation(`Invalid request: ${problems.join("; ")}`);
}

export function requireString(input: Record<string, unknown>, member: string): string {
  const value = input[member];
  if (typeof value !== "string" || value === "") throw validation(`${member} is required`);
  return value;
}

/** Timestamps are kept as epoch milliseconds in the store and handed out as Date, the SDK's timestamp type. */
export const toDate = (millis: number | undefined): Date | undefined =>
  millis === undefined ? undefined : new Date(millis);

/**
 * nextToken/maxResults paging over an ordered list. The token is the opaque offset of the next
 * page; a token that does not parse is a ValidationException, as on AWS.
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
    const decoded = Number(Buffer.from(String(input.nextToken), "base64url").toString("utf8"));
    if (!Number.isInteger(decoded) || decoded < 0) throw validation("nextToken is not valid");
    start = decoded;
  }
  const page = items.slice(start, start + max);
  const next =
    start + max < items.length ? Buffer.from(String(start + max)).toString("base64url") : undefined;
  return next === undefined ? { page } : { page, nextToken: next };
}

/** Drops undefined members so outputs carry only what the model's optional members have. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T;
}

export const isAwsError = (error: unknown, code?: string): error is AwsError =>
  error instanceof AwsError && (code === undefined || error.code === code);
