import assert from "node:assert/strict";
import { test } from "node:test";
import { generatedCountries, generatedValues } from "../../test/support/identity-values.ts";
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

function runFastPath(fast: AsciiFastPath, raw: string, country: string): string | null | undefined {
  const src = Buffer.from(raw, "latin1");
  const start = trimAscii(src, 0, src.length);
  const end = trimAsciiEnd(src, start, src.length);
  if (start === end) return undefined; // callers count empty values themselves
  const out = Buffer.alloc(end - start + 16);
  const written = fast(src, start, end, out, 0, country);
  return written < 0 ? undefined : out.toString("latin1", 0, written);
}

const CASES: Array<[IdentityKind, AsciiFastPath]> = [
  ["EMAIL_ADDRESS", emailAscii],
  ["PHONE", phoneAscii],
  ["ADDRESS_POSTALCODE", postalAscii],
  ["MAID", lowercaseAscii],
  ["ADDRESS", addressAscii],
];

test("every byte fast path answer equals the string normalizer's, on generated ASCII values", () => {
  for (const [kind, fast] of CASES) {
    const nextCountry = generatedCountries(kind, 7);
    let answered = 0;
    const total = 20_000;
    for (const raw of generatedValues(kind, total, 7)) {
      const country = nextCountry();
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
