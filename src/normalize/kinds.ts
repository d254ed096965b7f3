/** The identity kinds prepare knows: the ER attribute types plus the STRING match keys of the AMC route (MAID/LRP/EXP/MKL). */
export type IdentityKind =
  | "EMAIL_ADDRESS"
  | "PHONE"
  | "NAME_FIRST"
  | "NAME_LAST"
  | "ADDRESS"
  | "ADDRESS_CITY"
  | "ADDRESS_STATE"
  | "ADDRESS_POSTALCODE"
  | "ADDRESS_COUNTRY"
  | "MAID"
  | "LRP"
  | "EXP"
  | "MKL";

export const IDENTITY_KINDS: readonly IdentityKind[] = [
  "EMAIL_ADDRESS",
  "PHONE",
  "NAME_FIRST",
  "NAME_LAST",
  "ADDRESS",
  "ADDRESS_CITY",
  "ADDRESS_STATE",
  "ADDRESS_POSTALCODE",
  "ADDRESS_COUNTRY",
  "MAID",
  "LRP",
  "EXP",
  "MKL",
];

export function isIdentityKind(value: string): value is IdentityKind {
  return (IDENTITY_KINDS as readonly string[]).includes(value);
}

/** Third-party ids (mobile ad ids, LiveRamp, Experian, Merkle) go to ER as they are: never hashed. */
export function neverHashed(kind: IdentityKind): boolean {
  return kind === "MAID" || kind === "LRP" || kind === "EXP" || kind === "MKL";
}
