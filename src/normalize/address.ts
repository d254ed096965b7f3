import { addressWords } from "./address-words.ts";
import { foldToAscii, nullIfEmpty } from "./text.ts";

const NOT_ALNUM = /[^a-z0-9]+/;
const maps = new Map<string, Map<string, string>>();

function wordMap(country: string): Map<string, string> {
  let map = maps.get(country);
  if (!map) {
    map = new Map(Object.entries(addressWords(country)));
    maps.set(country, map);
  }
  return map;
}

/** Street address: folded tokens, each abbreviated by the country's word list, joined without spaces. */
export function normalizeAddress(raw: string, country: string): string | null {
  const words = wordMap(country);
  let result = "";
  for (const token of foldToAscii(raw).split(NOT_ALNUM)) {
    if (token.length === 0) continue;
    const first = token.charCodeAt(0);
    // House numbers are most tokens of an address and never abbreviated: skip the lookup.
    result += first >= 48 && first <= 57 ? token : (words.get(token) ?? token);
  }
  return nullIfEmpty(result);
}
