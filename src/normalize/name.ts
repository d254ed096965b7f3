import { alphanumeric, nullIfEmpty } from "./text.ts";

/** First names, last names and cities: lowercase ASCII letters and digits only. */
export function normalizeName(raw: string): string | null {
  return nullIfEmpty(alphanumeric(raw));
}
