import { REGION_TABLES } from "./regions.ts";
import { alphanumeric, nullIfEmpty } from "./text.ts";

const codesByCountry = new Map<string, Set<string>>(
  Object.entries(REGION_TABLES).map(([country, table]) => [country, new Set(Object.values(table))]),
);

/**
 * A state or province as its code ("Texas" → "tx"). Where the country has a code table, a value that is
 * neither a known name nor a known code is invalid (null); elsewhere the folded value is kept.
 */
export function normalizeState(raw: string, country: string): string | null {
  const folded = alphanumeric(raw);
  const table = REGION_TABLES[country];
  if (!table) return nullIfEmpty(folded);
  if (codesByCountry.get(country)?.has(folded)) return folded;
  return table[folded] ?? null;
}
