import type { Operation } from "../service.ts";

/** An operation's output as callers read it, member by member (the Operation contract returns this type). */
export type ApiObject = Awaited<ReturnType<Operation>>;

/** Drops undefined members, so outputs and models carry only the optional members that are set. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T;
}

/** Timestamps are kept as epoch milliseconds in the store and handed out as Date, the SDK's timestamp type. */
export const toDate = (millis: number | undefined): Date | undefined =>
  millis === undefined ? undefined : new Date(millis);

/** A Date member of an output as CloudFormation's ISO 8601 text. */
export const isoTime = (value: unknown): string | undefined =>
  value instanceof Date ? value.toISOString() : undefined;
