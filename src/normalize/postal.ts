import { alphanumeric, nullIfEmpty } from "./text.ts";

interface PostalRule {
  /** Characters kept before checking the shape. */
  keep: RegExp;
  /** Longer values are cut to this many characters (ZIP+4 → ZIP). */
  length: number;
  shape: RegExp;
  /** All-digit codes: the first `length` digits, or null when there are fewer. */
  digitsOnly?: boolean;
}

const DIGITS = /[^0-9]+/g;
const ALNUM = /[^a-z0-9]+/g;
const digits = (length: number): PostalRule => ({
  keep: DIGITS,
  length,
  shape: new RegExp(`^\\d{${length}}$`),
  digitsOnly: true,
});

// Shapes from the national postal formats (as in Amazon's AMC uploader normalizers).
const RULES: Record<string, PostalRule> = {
  US: digits(5),
  DE: digits(5),
  FR: digits(5),
  ES: digits(5),
  IT: digits(5),
  IN: digits(6),
  JP: digits(7),
  AU: digits(4),
  CA: { keep: ALNUM, length: 6, shape: /^([a-z]\d){3}$/ },
  GB: { keep: ALNUM, length: 7, shape: /^(([a-z]{1,2}\d{2,3})|([a-z]{1,2}\d[a-z]\d))[a-z]{2}$/ },
};

/** Digits in a postal code of an all-digit postal system (US 5, IN 6, JP 7…); 0 elsewhere. */
export function postalDigitCount(country: string): number {
  const rule = RULES[country];
  return rule?.digitsOnly ? rule.length : 0;
}

/** Postal code in its country's canonical shape, lowercase; null when it does not fit that shape. */
export function normalizePostal(raw: string, country: string): string | null {
  const rule = RULES[country];
  if (!rule) return nullIfEmpty(alphanumeric(raw));
  if (rule.digitsOnly) return leadingDigits(raw, rule.length);
  const cleaned = raw.toLowerCase().replace(rule.keep, "").slice(0, rule.length);
  return rule.shape.test(cleaned) ? cleaned : null;
}

// Same result as keep-digits, cut, check length — without building the intermediate strings.
function leadingDigits(raw: string, length: number): string | null {
  let first = -1;
  let count = 0;
  let contiguousEnd = -1;
  for (let i = 0; i < raw.length && count < length; i++) {
    const code = raw.charCodeAt(i);
    if (code < 48 || code > 57) continue;
    if (first === -1) first = i;
    count++;
    if (i - first + 1 === count) contiguousEnd = i + 1;
  }
  if (count < length) return null;
  if (contiguousEnd - first === length) return raw.slice(first, contiguousEnd);
  return raw.replace(DIGITS, "").slice(0, length);
}
