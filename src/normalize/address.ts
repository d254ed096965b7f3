import { addressWords } from "./address-words.ts";
import { foldToAscii, nullIfEmpty } from "./text.ts";

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
  const text = foldToAscii(raw);
  let result = "";
  // Tokens are the runs of [a-z0-9]: one pass instead of split() on a regex (the hot path of the bench).
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0;
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
      if (start < 0) start = i;
      continue;
    }
    if (start < 0) continue;
    const token = text.slice(start, i);
    const first = text.charCodeAt(start);
    // House numbers are most tokens of an address and never abbreviated: skip the lookup.
    result += first >= 48 && first <= 57 ? token : (words.get(token) ?? token);
    start = -1;
  }
  return nullIfEmpty(result);
}
