import type { z } from "zod";
import { validation } from "../aws-error.ts";

/** Parses an operation's input with its zod shape; a failure is a ValidationException naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`);
  throw validation(`Invalid request: ${problems.join("; ")}`);
}

export interface RequireStringOptions {
  /** Longest accepted value. @default no limit */
  max?: number;
  /** The service's error for a missing, empty or too long member. @default ValidationException "<member> is required" */
  reject?: (member: string, max: number) => Error;
}

/** The string member `member` of an operation's input: present, not empty, at most `max` characters. */
export function requireString(
  input: Record<string, unknown>,
  member: string,
  options: RequireStringOptions = {},
): string {
  const value = input[member];
  const max = options.max ?? Number.POSITIVE_INFINITY;
  if (typeof value !== "string" || value.length === 0 || value.length > max) {
    throw options.reject ? options.reject(member, max) : validation(`${member} is required`);
  }
  return value;
}
