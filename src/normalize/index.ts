// Amazon Ads normalization (applied before SHA-256) for every identity kind prepare writes.

export {
  type AddressWordTable,
  type AsciiFastPath,
  addressWordTable,
  asciiFastPathFor,
  trimAscii,
  trimAsciiEnd,
} from "./ascii-bytes.ts";
export { countryCode } from "./country.ts";
export { IDENTITY_KINDS, type IdentityKind, isIdentityKind, neverHashed } from "./kinds.ts";
export { type Normalizer, normalizerFor, normalizeValue } from "./normalize-value.ts";
export { postalDigitCount } from "./postal.ts";
export { hashNormalized, isSha256Hex, sha256Hex } from "./sha256.ts";
