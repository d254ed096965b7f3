import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";

const NANP = new Set(["US", "CA"]);

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
// One pass over the characters, digits collected as char codes: faster than a regex test + replace.
const DIGITS = new Array<number>(11).fill(0);

function nanpFastPath(raw: string): string | null | undefined {
  const d = DIGITS;
  let digits = 0;
  let plus = false;
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      if (digits < 11) d[digits] = code;
      digits++;
    } else if (code === 43) plus = true;
    else if (!(code === 32 || code === 40 || code === 41 || code === 45 || code === 46)) return undefined; // space ( ) - .
  }
  if (digits === 10 && !plus && d[0]! >= 50) {
    return String.fromCharCode(49, d[0]!, d[1]!, d[2]!, d[3]!, d[4]!, d[5]!, d[6]!, d[7]!, d[8]!, d[9]!);
  }
  if (digits === 11 && d[0] === 49 && d[1]! >= 50) {
    return String.fromCharCode(d[0], d[1]!, d[2]!, d[3]!, d[4]!, d[5]!, d[6]!, d[7]!, d[8]!, d[9]!, d[10]!);
  }
  return undefined;
}
