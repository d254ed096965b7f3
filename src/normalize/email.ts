const WHITESPACE = /\s+/g;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s.]+$/;

/** Trimmed and lowercased; null when it is not shaped like local@domain.tld. */
export function normalizeEmail(raw: string): string | null {
  const email = raw.replace(WHITESPACE, "").toLowerCase();
  return EMAIL.test(email) ? email : null;
}
