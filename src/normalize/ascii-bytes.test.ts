import assert from "node:assert/strict";
import { test } from "node:test";
import { Random } from "../synth/random.ts";
import {
  type AsciiFastPath,
  addressAscii,
  emailAscii,
  lowercaseAscii,
  phoneAscii,
  postalAscii,
  trimAscii,
  trimAsciiEnd,
} from "./ascii-bytes.ts";
import type { IdentityKind } from "./kinds.ts";
import { normalizeValue } from "./normalize-value.ts";

const COUNTRIES = ["US", "CA", "GB", "DE", "FR", "ES", "IT", "IN", "JP", "AU", "BR"];

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

function runFastPath(fast: AsciiFastPath, raw: string, country: string): string | null | undefined {
  const src = Buffer.from(raw, "latin1");
  const start = trimAscii(src, 0, src.length);
  const end = trimAsciiEnd(src, start, src.length);
  if (start === end) return undefined; // callers count empty values themselves
  const out = Buffer.alloc(end - start + 16);
  const written = fast(src, start, end, out, 0, country);
  return written < 0 ? undefined : out.toString("latin1", 0, written);
}

function generatePhone(random: Random): string {
  const digits = (n: number) => Array.from({ length: n }, () => String(random.int(10))).join("");
  const separator = () => random.pick(["", " ", "-", ".", "(", ")", ") "]);
  const prefix = random.pick(["", "", "+1 ", "1-", "1", "+", "+44 ", "0"]);
  const noise = random.chance(0.2) ? generate(random, PIECES.PHONE!, 2) : "";
  return `${prefix}${separator()}${digits(3)}${separator()}${digits(3)}${separator()}${digits(random.chance(0.9) ? 4 : 3)}${noise}`;
}

const CASES: Array<[IdentityKind, AsciiFastPath, string]> = [
  ["EMAIL_ADDRESS", emailAscii, "EMAIL_ADDRESS"],
  ["PHONE", phoneAscii, "PHONE"],
  ["ADDRESS_POSTALCODE", postalAscii, "ADDRESS_POSTALCODE"],
  ["MAID", lowercaseAscii, "MAID"],
  ["ADDRESS", addressAscii, "ADDRESS"],
];

test("every byte fast path answer equals the string normalizer's, on generated ASCII values", () => {
  for (const [kind, fast, pieces] of CASES) {
    const random = new Random(7, kind.length, 0);
    let answered = 0;
    const total = 20_000;
    for (let i = 0; i < total; i++) {
      const raw =
        kind === "EMAIL_ADDRESS"
          ? generateEmail(random)
          : kind === "PHONE"
            ? generatePhone(random)
            : generate(random, PIECES[pieces]!);
      const country = random.pick(COUNTRIES);
      const answer = runFastPath(fast, raw, country);
      if (answer === undefined) continue;
      answered++;
      assert.equal(
        answer,
        normalizeValue(kind, raw, country),
        `${kind} ${JSON.stringify(raw)} in ${country}`,
      );
    }
    // The generator reaches the fast path often enough for the comparison to mean something.
    assert.ok(
      answered > total / 50,
      `${kind}: only ${answered} of ${total} generated values took the fast path`,
    );
  }
});

test("the fast paths take the plain shapes of real CRM exports and leave the rest to the string path", () => {
  const plain: Array<[AsciiFastPath, string, string, string]> = [
    [emailAscii, " Jane.Doe+news@Mail.Example.COM ", "US", "jane.doe+news@mail.example.com"],
    [phoneAscii, "+1 (212) 555-0100", "US", "12125550100"],
    [phoneAscii, "613.555.0100", "CA", "16135550100"],
    [postalAscii, "10001-1234", "US", "10001"],
    [postalAscii, "110001", "IN", "110001"],
    [lowercaseAscii, "6D92078A-8246-4BA4-AE5B-76104861E7DC", "US", "6d92078a-8246-4ba4-ae5b-76104861e7dc"],
    [addressAscii, "1600 Pennsylvania Avenue NW, Suite 200", "US", "1600pennsylvaniaavenwste200"],
  ];
  for (const [fast, raw, country, expected] of plain)
    assert.equal(runFastPath(fast, raw, country), expected, raw);
  const others: Array<[AsciiFastPath, string, string]> = [
    [emailAscii, "jane doe@example.com", "US"], // whitespace inside: the string rule removes it
    [emailAscii, "jane@example", "US"],
    [emailAscii, "jane@@example.com", "US"],
    [phoneAscii, "020 7946 0018", "GB"], // not NANP: libphonenumber decides
    [phoneAscii, "212-555-0100 ext 5", "US"],
    [phoneAscii, "555-0100", "US"],
    [postalAscii, "K1A 0B1", "CA"], // alphanumeric systems keep their rule
    [postalAscii, "1000", "US"],
    [addressAscii, "#,-", "US"], // no token: the string path says invalid
    [addressAscii, "no no no no no no no no no no", "US"], // abbreviations longer than the room given
  ];
  for (const [fast, raw, country] of others) assert.equal(runFastPath(fast, raw, country), undefined, raw);
});

test("trimAscii removes exactly the ASCII whitespace String.prototype.trim does", () => {
  for (let code = 0; code < 128; code++) {
    const raw = `${String.fromCharCode(code)}a${String.fromCharCode(code)}`;
    const src = Buffer.from(raw, "latin1");
    const start = trimAscii(src, 0, src.length);
    const end = trimAsciiEnd(src, start, src.length);
    assert.equal(src.toString("latin1", start, end), raw.trim(), `char ${code}`);
  }
});
