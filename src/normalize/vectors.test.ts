import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { hashNormalized, type IdentityKind, isIdentityKind, neverHashed, normalizeValue } from "./index.ts";

interface VectorCase {
  field: string;
  country: string;
  input: string;
  normalized: string | null;
  sha256: string | null;
}

const vectors = JSON.parse(readFileSync("/work/shared/vectors/normalization.json", "utf8")) as {
  cases: VectorCase[];
};

test("every case of the shared normalization vectors passes (value and hash)", () => {
  assert.ok(vectors.cases.length > 20, "the vectors file has cases");
  for (const c of vectors.cases) {
    assert.ok(isIdentityKind(c.field), `${c.field} is a known kind`);
    const kind = c.field as IdentityKind;
    const label = `${c.field}/${c.country} ${JSON.stringify(c.input)}`;
    const normalized = normalizeValue(kind, c.input, c.country);
    assert.equal(normalized, c.normalized, `${label} normalizes`);
    const hashed = normalized === null || neverHashed(kind) ? null : hashNormalized(normalized);
    assert.equal(hashed, c.sha256, `${label} hashes`);
  }
});
