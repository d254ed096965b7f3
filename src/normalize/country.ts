import countries from "i18n-iso-countries";
import de from "i18n-iso-countries/langs/de.json" with { type: "json" };
import en from "i18n-iso-countries/langs/en.json" with { type: "json" };
import es from "i18n-iso-countries/langs/es.json" with { type: "json" };
import fr from "i18n-iso-countries/langs/fr.json" with { type: "json" };
import it from "i18n-iso-countries/langs/it.json" with { type: "json" };
import ja from "i18n-iso-countries/langs/ja.json" with { type: "json" };

const LANGS = [en, de, fr, es, it, ja];
for (const lang of LANGS) countries.registerLocale(lang);

// Common spellings ISO 3166 does not list.
const ALIASES: Record<string, string> = { UK: "GB", ENGLAND: "GB", SCOTLAND: "GB", WALES: "GB", USA: "US" };
const cache = new Map<string, string | null>();

/** ISO 3166-1 alpha-2, uppercase, from a code (alpha-2/alpha-3/numeric) or a name in en/de/fr/es/it/ja; null when unknown. */
export function countryCode(raw: string): string | null {
  const key = raw.trim();
  const known = cache.get(key);
  if (known !== undefined) return known;
  const code = lookUp(key);
  if (cache.size < 10_000) cache.set(key, code);
  return code;
}

function lookUp(value: string): string | null {
  if (value.length === 0) return null;
  const upper = value.toUpperCase();
  const alias = ALIASES[upper.replace(/[^A-Z]/g, "")];
  if (alias) return alias;
  if (/^[A-Z]{2}$/.test(upper)) return countries.isValid(upper) ? upper : null;
  if (/^[A-Z]{3}$/.test(upper)) return countries.alpha3ToAlpha2(upper) ?? null;
  if (/^\d{1,3}$/.test(upper)) return countries.numericToAlpha2(upper) ?? null;
  for (const lang of LANGS) {
    const code = countries.getAlpha2Code(value, lang.locale);
    if (code) return code;
  }
  return null;
}

/** Country column value: the ISO-2 code in lowercase. */
export function normalizeCountry(raw: string): string | null {
  return countryCode(raw)?.toLowerCase() ?? null;
}
