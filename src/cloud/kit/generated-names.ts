import { createHash } from "node:crypto";

/**
 * The name a provider gives a resource created without one (Cloud Control generates one then), derived
 * from the request token so that a create resumed after a crash picks the same name.
 */
export const generatedName = (prefix: string, requestToken: string, hexDigits: number): string =>
  `${prefix}${createHash("sha256").update(requestToken).digest("hex").slice(0, hexDigits)}`;
