import { addressWords } from "./address-words.ts";
import { nullIfEmpty, tokens } from "./text.ts";

/** Street address: folded tokens, each abbreviated by the country's word list, joined without spaces. */
export function normalizeAddress(raw: string, country: string): string | null {
  const words = addressWords(country);
  let result = "";
  for (const token of tokens(raw)) result += words[token] ?? token;
  return nullIfEmpty(result);
}
