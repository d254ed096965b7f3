const WHITESPACE = /\s+/g;
// RFC 5322 atext (plus letters and digits of any script) in the local part; dotted labels and a TLD of
// two or more letters in the domain. Anything else (a comma, a second '@', "n/a") is not an address.
const EMAIL = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.-]+@[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)*\.\p{L}{2,}$/u;

const ASCII_EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/;

/** Trimmed and lowercased; null when it is not shaped like local@domain.tld. */
export function normalizeEmail(raw: string): string | null {
  const trimmed = raw.trim().toLowerCase();
  if (ASCII_EMAIL.test(trimmed)) return trimmed; // the common case, without the Unicode-aware regex
  const email = trimmed.replace(WHITESPACE, "");
  return EMAIL.test(email) ? email : null;
}
