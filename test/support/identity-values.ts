// Generated identity values for differential tests of the fast paths (JS bytes, native) against the
// string normalizers: the plain shapes of CRM exports and every way out of them.

import type { IdentityKind } from "../../src/normalize/kinds.ts";
import { Random } from "../../src/synth/random.ts";

export const COUNTRIES = ["US", "CA", "GB", "DE", "FR", "ES", "IT", "IN", "JP", "AU", "BR"];

// Pieces that make the plain cases and every way out of them: case, padding, punctuation, letters where
// digits go, a second '@', dots in odd places, digests.
const PIECES: Record<string, string[]> = {
  EMAIL_ADDRESS: [
    "a",
    "Jane",
    ".",
    "-",
    "_",
    "+",
    "@",
    "example",
    "EXAMPLE",
    "co",
    "COM",
    "c",
    "9",
    " ",
    "\t",
    "!",
    "(",
    ",",
    "x1",
  ],
  PHONE: ["+", "1", "2", "5", "0", "9", "(", ")", "-", ".", " ", "\t", "x", "44", "020", "555", "ext"],
  ADDRESS_POSTALCODE: [
    "1",
    "0",
    "9",
    "10001",
    "4321",
    "110001",
    "-",
    " ",
    "A",
    "b",
    "k1a",
    "sw1a",
    "1aa",
    "\t",
    ".",
  ],
  MAID: ["6D92078A", "-", "ae5b", " ", "X", "y", "0"],
  ADDRESS: [
    "12",
    " ",
    "Main",
    "STREET",
    "st",
    "Ave",
    "no",
    "No.",
    ",",
    "#",
    "Apt",
    "4B",
    "rue",
    "de",
    "la",
    "Strasse",
    "calle",
    "-",
    "\t",
    "N",
    "Road",
    "x",
  ],
};

const DOMAIN_PIECES = ["example", "EXAMPLE", "co", "COM", "c", "uk", "9", "-", "x1", "a", ".", " ", "_", "@"];

function generate(random: Random, pieces: string[], most = 12): string {
  let value = "";
  const n = 1 + random.int(most);
  for (let i = 0; i < n; i++) value += random.pick(pieces);
  return value;
}

// Emails need their skeleton (local@domain.tld) to reach the fast path; the pieces then break it in places.
function generateEmail(random: Random): string {
  const pieces = PIECES.EMAIL_ADDRESS!;
  const labels = Array.from({ length: 1 + random.int(3) }, () => generate(random, DOMAIN_PIECES, 3));
  return `${generate(random, pieces, 4)}@${labels.join(".")}`;
}

function generatePhone(random: Random): string {
  const digits = (n: number) => Array.from({ length: n }, () => String(random.int(10))).join("");
  const separator = () => random.pick(["", " ", "-", ".", "(", ")", ") "]);
  const prefix = random.pick(["", "", "+1 ", "1-", "1", "+", "+44 ", "0"]);
  const noise = random.chance(0.2) ? generate(random, PIECES.PHONE!, 2) : "";
  return `${prefix}${separator()}${digits(3)}${separator()}${digits(3)}${separator()}${digits(random.chance(0.9) ? 4 : 3)}${noise}`;
}

/** `count` values of a kind (EMAIL_ADDRESS, PHONE, ADDRESS_POSTALCODE, ADDRESS, MAID), reproducible by seed. */
export function generatedValues(kind: IdentityKind, count: number, seed: number): string[] {
  const random = new Random(seed, kind.length, 0);
  const pieces = PIECES[kind];
  return Array.from({ length: count }, () =>
    kind === "EMAIL_ADDRESS"
      ? generateEmail(random)
      : kind === "PHONE"
        ? generatePhone(random)
        : generate(random, pieces ?? PIECES.MAID!),
  );
}

/** Countries to pair with generated values, one per call, reproducible by seed. */
export function generatedCountries(kind: IdentityKind, seed: number): () => string {
  const random = new Random(seed, kind.length, 1);
  return () => random.pick(COUNTRIES);
}
