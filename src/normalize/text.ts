// Amazon Ads' rules spell these out before the generic diacritic stripping: German and Nordic letters
// become their conventional ASCII digraphs instead of losing the mark (müller → mueller, not muller).
const TRANSLITERATIONS: Record<string, string> = { ß: "ss", ä: "ae", ö: "oe", ü: "ue", ø: "o", æ: "ae" };
const SPECIAL = /[ßäöüøæ]/g;
const COMBINING_MARKS = /\p{M}+/gu;
const NOT_ALNUM = /[^a-z0-9]+/g;
const NON_ASCII = /[^ -~\t\n\r]/;

/** Lowercase, transliterate ß/ä/ö/ü/ø/æ, strip other diacritics. Keeps every other character. */
export function foldToAscii(raw: string): string {
  let text = raw.toLowerCase();
  if (!NON_ASCII.test(text)) return text;
  text = text.replace(SPECIAL, (ch) => TRANSLITERATIONS[ch] ?? ch);
  return text.normalize("NFD").replace(COMBINING_MARKS, "");
}

/** foldToAscii, then only [a-z0-9] kept: the rule for names and cities. */
export function alphanumeric(raw: string): string {
  return foldToAscii(raw).replace(NOT_ALNUM, "");
}

export function nullIfEmpty(value: string): string | null {
  return value.length === 0 ? null : value;
}
