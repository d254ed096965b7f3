import { normalizeAddress } from "./address.ts";
import { normalizeCountry } from "./country.ts";
import { normalizeEmail } from "./email.ts";
import { type IdentityKind, neverHashed } from "./kinds.ts";
import { normalizeName } from "./name.ts";
import { normalizePhone } from "./phone.ts";
import { normalizePostal } from "./postal.ts";
import { isSha256Hex } from "./sha256.ts";
import { normalizeState } from "./state.ts";

export type Normalizer = (raw: string, country: string) => string | null;

const NORMALIZERS: Record<IdentityKind, Normalizer> = {
  EMAIL_ADDRESS: normalizeEmail,
  PHONE: normalizePhone,
  NAME_FIRST: normalizeName,
  NAME_LAST: normalizeName,
  ADDRESS: normalizeAddress,
  ADDRESS_CITY: normalizeName,
  ADDRESS_STATE: normalizeState,
  ADDRESS_POSTALCODE: normalizePostal,
  ADDRESS_COUNTRY: normalizeCountry,
  MAID: normalizeThirdPartyId,
  LRP: normalizeThirdPartyId,
  EXP: normalizeThirdPartyId,
  MKL: normalizeThirdPartyId,
};

function normalizeThirdPartyId(raw: string): string | null {
  const id = raw.trim().toLowerCase();
  return id.length === 0 ? null : id;
}

/**
 * The Amazon Ads normalized form of one identity value, ready for SHA-256; null when the value is empty
 * or invalid for its kind. A value that already is a SHA-256 hex digest passes through, lowercased.
 * @param country ISO 3166-1 alpha-2 of the record (phone region, postal shape, state table) @default "US"
 */
export function normalizeValue(
  kind: IdentityKind,
  raw: string | null | undefined,
  country = "US",
): string | null {
  if (raw === null || raw === undefined) return null;
  if (!neverHashed(kind)) {
    const trimmed = raw.trim();
    if (trimmed.length === 0) return null;
    if (isSha256Hex(trimmed)) return trimmed.toLowerCase();
  }
  return NORMALIZERS[kind](raw, country.toUpperCase());
}

/** The normalizer of one kind, for hot loops that already handled null and pre-hashed values. */
export function normalizerFor(kind: IdentityKind): Normalizer {
  return NORMALIZERS[kind];
}
