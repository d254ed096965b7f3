import { addressWords } from "./address-words.ts";
import { foldToAscii, nullIfEmpty } from "./text.ts";

const NOT_ALNUM = /[^a-z0-9]+/;

/** Street address: folded tokens, each abbreviated by the country's word list, joined without spaces. */
export function normalizeAddress(raw: string, country: string): string | null {
  const words = addressWords(country);
  let result = "";
  for (const token of foldToAscii(raw).split(NOT_ALNUM))
    if (token.length > 0) result += words[token] ?? token;
  return nullIfEmpty(result);
}
