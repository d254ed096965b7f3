import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";

const NANP = new Set(["US", "CA"]);
const PLAIN_PHONE = /^[0-9 ()+.-]*$/;
const NON_DIGIT = /\D+/g;

/**
 * E.164 digits without '+', parsed in the row's country (so "020 7946 0018" in GB is 442079460018);
 * null when libphonenumber does not consider it a possible number.
 */
export function normalizePhone(raw: string, country: string): string | null {
  const fast = NANP.has(country) ? nanpFastPath(raw) : undefined;
  if (fast !== undefined) return fast;
  const parsed = parsePhoneNumberFromString(raw.trim(), { defaultCountry: country as CountryCode });
  if (!parsed?.isPossible()) return null;
  return parsed.number.slice(1);
}

// The bench's hot path: a US/CA number written with only digits and punctuation. The answer equals
// libphonenumber's (phone.test.ts checks that on generated numbers); anything unusual takes the slow path.
function nanpFastPath(raw: string): string | null | undefined {
  if (!PLAIN_PHONE.test(raw)) return undefined;
  const digits = raw.replace(NON_DIGIT, "");
  const hasPlus = raw.includes("+");
  if (digits.length === 10 && !hasPlus && digits.charCodeAt(0) >= 50) return `1${digits}`;
  if (digits.length === 11 && digits.charCodeAt(0) === 49 && digits.charCodeAt(1) >= 50) return digits;
  return undefined;
}
