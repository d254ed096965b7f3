import { AsyncLocalStorage } from "node:async_hooks";
import { createHash, randomUUID } from "node:crypto";

/**
 * Ids the local services assign to new resources (Clean Rooms collaborations, memberships, ID
 * namespace associations…). Inside a Cloud Control create they derive from its request token, so a
 * create cut short by a crash knows, on restart, the identifier it made or is about to make: it
 * finds and finishes that resource instead of reporting "may or may not have been created" (or
 * making a second one). Everywhere else they are random.
 */
const seeds = new AsyncLocalStorage<{ token: string; next: number }>();

/** The n-th id (from 0) that a create running under `token` assigns. */
export function resourceIdFor(token: string, n = 0): string {
  const hex = createHash("sha256").update(`${token}/${n}`).digest("hex");
  // An RFC 9562 version-8 (custom) UUID, so it has the shape of the service's random ones.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((Number.parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A new resource id: resourceIdFor(token, n) for the n-th one inside withResourceIds(token), random otherwise. */
export function newResourceId(): string {
  const seed = seeds.getStore();
  return seed ? resourceIdFor(seed.token, seed.next++) : randomUUID();
}

/** How many withResourceIds calls are running. */
let active = 0;

/**
 * Runs fn with resource ids derived from `token` (see newResourceId). The storage is switched off
 * again once no such call runs: on Node 20 an enabled AsyncLocalStorage keeps async_hooks' promise
 * and resource hooks on for every promise and socket of the process (nodejs/node#46265), which
 * cost the server a few percent per request long after the last create.
 */
export async function withResourceIds<T>(token: string, fn: () => Promise<T>): Promise<T> {
  active++;
  try {
    return await seeds.run({ token, next: 0 }, fn);
  } finally {
    if (--active === 0) seeds.disable();
  }
}
