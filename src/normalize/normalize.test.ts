import assert from "node:assert/strict";
import { test } from "node:test";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { countryCode, hashNormalized, isSha256Hex, neverHashed, normalizeValue, sha256Hex } from "./index.ts";

test("email: trimmed, lowercased, inner spaces removed; malformed is null", () => {
  assert.equal(
    normalizeValue("EMAIL_ADDRESS", "  Jane.Doe+News@Example.CO.UK "),
    "jane.doe+news@example.co.uk",
  );
  assert.equal(normalizeValue("EMAIL_ADDRESS", "jane @example.com"), "jane@example.com");
  assert.equal(normalizeValue("EMAIL_ADDRESS", "not-an-email"), null);
  assert.equal(normalizeValue("EMAIL_ADDRESS", "a@b"), null);
  assert.equal(normalizeValue("EMAIL_ADDRESS", null), null);
  assert.equal(normalizeValue("EMAIL_ADDRESS", undefined), null);
});

test("phone: E.164 digits without '+' for every supported country", () => {
  const cases: Array<[string, string, string | null]> = [
    ["US", "+1 (413) 871-4499", "14138714499"],
    ["US", "1-413-871-4499", "14138714499"],
    ["US", "413 871 4499 ext. 12", "14138714499"],
    ["CA", "(613) 555-0199", "16135550199"],
    ["GB", "020 7946 0018", "442079460018"],
    ["GB", "+44 7700 900123", "447700900123"],
    ["DE", "030 901820", "4930901820"],
    ["DE", "+49 (0)30 901820", "4930901820"],
    ["FR", "01 23 45 67 89", "33123456789"],
    ["ES", "912 34 56 78", "34912345678"],
    ["IT", "06 1234 5678", "390612345678"],
    ["IN", "098765 43210", "919876543210"],
    ["JP", "03-1234-5678", "81312345678"],
    ["US", "+44 20 7946 0018", "442079460018"],
    ["US", "12345", null],
    ["US", "n/a", null],
  ];
  for (const [country, raw, expected] of cases) {
    assert.equal(normalizeValue("PHONE", raw, country), expected, `${country} ${raw}`);
  }
});

test("phone: the US/CA fast path agrees with libphonenumber on generated numbers", () => {
  const shapes = [
    (a: string, b: string, c: string) => `(${a}) ${b}-${c}`,
    (a: string, b: string, c: string) => `+1 ${a}.${b}.${c}`,
    (a: string, b: string, c: string) => `1${a}${b}${c}`,
    (a: string, b: string, c: string) => `${a}-${b}-${c}`,
  ];
  for (let i = 0; i < 4000; i++) {
    const a = String((i * 7919) % 1000).padStart(3, "0");
    const b = String((i * 104729) % 1000).padStart(3, "0");
    const c = String((i * 1299709) % 10000).padStart(4, "0");
    const raw = shapes[i % shapes.length]!(a, b, c);
    for (const country of ["US", "CA"] as const) {
      const parsed = parsePhoneNumberFromString(raw, { defaultCountry: country });
      const reference = parsed?.isPossible() ? parsed.number.slice(1) : null;
      assert.equal(normalizeValue("PHONE", raw, country), reference, `${country} ${raw}`);
    }
  }
});

test("names: transliteration, diacritics stripped, only [a-z0-9]", () => {
  assert.equal(normalizeValue("NAME_LAST", "Müller"), "mueller");
  assert.equal(normalizeValue("NAME_LAST", "GROẞ"), "gross");
  assert.equal(normalizeValue("NAME_FIRST", "Søren"), "soren");
  assert.equal(normalizeValue("NAME_FIRST", "Ærø"), "aero");
  assert.equal(normalizeValue("NAME_FIRST", "José"), "jose");
  assert.equal(normalizeValue("NAME_FIRST", "François"), "francois");
  assert.equal(normalizeValue("NAME_LAST", "Núñez-García"), "nunezgarcia");
  assert.equal(normalizeValue("NAME_FIRST", "Anne Marie"), "annemarie");
  assert.equal(normalizeValue("NAME_FIRST", " -- "), null);
});

test("city: lowercase alphanumerics", () => {
  assert.equal(normalizeValue("ADDRESS_CITY", "St. Louis"), "stlouis");
  assert.equal(normalizeValue("ADDRESS_CITY", "München", "DE"), "muenchen");
  assert.equal(normalizeValue("ADDRESS_CITY", "Zürich", "CH"), "zuerich");
});

test("state: names and codes to codes, per country", () => {
  const cases: Array<[string, string, string | null]> = [
    ["US", "Texas", "tx"],
    ["US", "new york", "ny"],
    ["US", "N.Y.", "ny"],
    ["US", "Narnia", null],
    ["CA", "Québec", "qc"],
    ["CA", "British Columbia", "bc"],
    ["CA", "ON", "on"],
    ["DE", "Bayern", "by"],
    ["DE", "Baden-Württemberg", "bw"],
    ["FR", "Île-de-France", "if"],
    ["ES", "Madrid", "m"],
    ["ES", "Málaga", "ma"],
    ["IT", "Milano", "mi"],
    ["IT", "Roma", "rm"],
    ["IN", "Maharashtra", "mh"],
    ["IN", "Tamil Nadu", "tn"],
    ["AU", "New South Wales", "nsw"],
    ["AU", "vic", "vic"],
    ["GB", "Greater London", "greaterlondon"],
    ["JP", "Tokyo", "tokyo"],
  ];
  for (const [country, raw, expected] of cases) {
    assert.equal(normalizeValue("ADDRESS_STATE", raw, country), expected, `${country} ${raw}`);
  }
});

test("postal code: per-country shape", () => {
  const cases: Array<[string, string, string | null]> = [
    ["US", "75236-9599", "75236"],
    ["US", "752", null],
    ["CA", "K1A 0B1", "k1a0b1"],
    ["CA", "12345", null],
    ["GB", "SW1A 1AA", "sw1a1aa"],
    ["GB", "M1 1AE", "m11ae"],
    ["DE", "10115", "10115"],
    ["FR", "75008", "75008"],
    ["ES", "28013", "28013"],
    ["IT", "00184", "00184"],
    ["IN", "110 001", "110001"],
    ["JP", "787-0150", "7870150"],
    ["JP", "〒100-0001", "1000001"],
    ["AU", "2000", "2000"],
  ];
  for (const [country, raw, expected] of cases) {
    assert.equal(normalizeValue("ADDRESS_POSTALCODE", raw, country), expected, `${country} ${raw}`);
  }
});

test("address: tokens abbreviated per country and joined", () => {
  const cases: Array<[string, string, string]> = [
    ["US", "744 Messerschmidt Avenue", "744messerschmidtave"],
    ["US", "100 North Main Street, Apartment 4B", "100nmainstapt4b"],
    ["US", "12 Lake Shore Boulevard Suite 300", "12lkshrblvdste300"],
    ["CA", "24 Sussex Drive", "24sussexdr"],
    ["GB", "221B Baker Street", "221bbakerst"],
    ["DE", "Königstraße 5", "koenigstrasse5"],
    ["FR", "12 Avenue des Champs-Élysées", "12avedeschampselysees"],
    ["ES", "Calle Mayor 5", "callemayor5"],
    ["IT", "Piazza Navona 1", "piazzanavona1"],
    ["IN", "12 MG Road", "12mgrd"],
    ["JP", "1-1 Chiyoda", "11chiyoda"],
  ];
  for (const [country, raw, expected] of cases) {
    assert.equal(normalizeValue("ADDRESS", raw, country), expected, `${country} ${raw}`);
  }
});

test("country: names and codes in several languages to ISO-2 lowercase", () => {
  const cases: Array<[string, string | null]> = [
    ["United States", "us"],
    ["USA", "us"],
    ["U.S.A.", "us"],
    ["us", "us"],
    ["Deutschland", "de"],
    ["Germany", "de"],
    ["España", "es"],
    ["Italia", "it"],
    ["France", "fr"],
    ["United Kingdom", "gb"],
    ["UK", "gb"],
    ["India", "in"],
    ["Japan", "jp"],
    ["日本", "jp"],
    ["CAN", "ca"],
    ["Atlantis", null],
  ];
  for (const [raw, expected] of cases) assert.equal(normalizeValue("ADDRESS_COUNTRY", raw), expected, raw);
  assert.equal(countryCode("Canada"), "CA");
});

test("third-party ids: trimmed and lowercased, never hashed", () => {
  for (const kind of ["MAID", "LRP", "EXP", "MKL"] as const) {
    assert.equal(neverHashed(kind), true, kind);
    assert.equal(normalizeValue(kind, "  AbC-123 "), "abc-123");
    assert.equal(normalizeValue(kind, "  "), null);
  }
  assert.equal(neverHashed("EMAIL_ADDRESS"), false);
});

test("pre-hashed values pass through lowercased; hashing is lowercase hex SHA-256", () => {
  const digest = sha256Hex("abc@example.com");
  assert.equal(isSha256Hex(digest), true);
  assert.equal(isSha256Hex(`${digest}0`), false);
  assert.equal(normalizeValue("PHONE", digest.toUpperCase()), digest);
  assert.equal(normalizeValue("NAME_FIRST", ` ${digest} `), digest);
  assert.equal(hashNormalized(digest), digest);
  assert.equal(
    sha256Hex("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    "FIPS 180-2 test vector",
  );
});
