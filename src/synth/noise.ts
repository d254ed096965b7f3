import type { Address, Person } from "./people.ts";
import { nicknameOf } from "./people.ts";
import type { Random } from "./random.ts";

/** One CRM export row, raw as a marketing team would have it (before any normalization). */
export interface CrmRow {
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
  address: string;
  city: string;
  state: string;
  zip: string;
  country: string;
}

export const CRM_COLUMNS: Array<keyof CrmRow> = [
  "first_name",
  "last_name",
  "email",
  "phone",
  "address",
  "city",
  "state",
  "zip",
  "country",
];

const SUFFIX_VARIANTS: Array<[RegExp, string[]]> = [
  [/ Street$/, [" St", " St.", " Str"]],
  [/ Avenue$/, [" Ave", " Ave.", " Av"]],
  [/ Road$/, [" Rd", " Rd."]],
  [/ Drive$/, [" Dr", " Dr."]],
  [/ Lane$/, [" Ln"]],
  [/ Boulevard$/, [" Blvd"]],
  [/ Court$/, [" Ct"]],
];

function recase(random: Random, value: string): string {
  const roll = random.next();
  if (roll < 0.15) return value.toUpperCase();
  if (roll < 0.25) return value.toLowerCase();
  return value;
}

function pad(random: Random, value: string): string {
  return random.chance(0.1) ? ` ${value}  ` : value;
}

/** A keyboard slip: two neighbouring letters swapped or one dropped. */
function typo(random: Random, value: string): string {
  if (value.length < 3) return value;
  const at = 1 + random.int(value.length - 2);
  return random.chance(0.5)
    ? value.slice(0, at) + value[at + 1] + value[at] + value.slice(at + 2)
    : value.slice(0, at) + value.slice(at + 1);
}

function stripAccents(value: string): string {
  return value.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}

function name(random: Random, value: string, nickname: string | undefined): string {
  if (random.chance(0.03)) return "";
  let out = nickname && random.chance(0.1) ? nickname : value;
  if (random.chance(0.02)) out = typo(random, out);
  if (out !== stripAccents(out) && random.chance(0.5)) out = stripAccents(out);
  return pad(random, recase(random, out));
}

function email(random: Random, person: Person): string {
  if (random.chance(0.25)) return "";
  let out = person.emails.length > 1 && random.chance(0.4) ? person.emails[1]! : person.emails[0]!;
  const [local, domain] = out.split("@") as [string, string];
  if (domain === "gmail.com" && random.chance(0.1)) {
    // Gmail ignores dots, Amazon's normalization does not: the same inbox hashes differently.
    out = local.includes(".")
      ? `${local.replace(".", "")}@${domain}`
      : `${local.slice(0, 1)}.${local.slice(1)}@${domain}`;
  }
  if (random.chance(0.02))
    out = random.chance(0.5) ? out.replace("gmail", "gmial").replace("yahoo", "yaho") : typo(random, out);
  if (random.chance(0.2))
    out = out.charAt(0).toUpperCase() + out.slice(1).replace(/@(.)/, (_, c: string) => `@${c.toUpperCase()}`);
  return pad(random, out);
}

function phone(random: Random, person: Person): string {
  if (random.chance(0.35)) return "";
  let digits = person.phones.length > 1 && random.chance(0.3) ? person.phones[1]! : person.phones[0]!;
  if (random.chance(0.02)) {
    const at = 3 + random.int(7);
    digits =
      digits.slice(0, at) + String((Number(digits[at]) + 1 + random.int(8)) % 10) + digits.slice(at + 1);
  }
  const [a, b, c] = [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)];
  const formats = [
    `(${a}) ${b}-${c}`,
    `${a}-${b}-${c}`,
    `${a}.${b}.${c}`,
    `+1 ${a} ${b} ${c}`,
    `1-${a}-${b}-${c}`,
    `${a}${b}${c}`,
  ];
  return random.pick(formats);
}

function street(random: Random, address: Address): string {
  let line = `${address.number} ${address.street}`;
  for (const [pattern, variants] of SUFFIX_VARIANTS) {
    if (pattern.test(line) && random.chance(0.5)) line = line.replace(pattern, random.pick(variants));
  }
  if (random.chance(0.05)) line = `${line} Apt ${1 + random.int(40)}`;
  if (random.chance(0.01)) line = typo(random, line);
  return pad(random, recase(random, line));
}

/**
 * A CRM row for a person, with the mess real exports carry. Recoverable noise (case, padding, phone
 * formats, ZIP+4, full state names, street suffix variants, accents) normalizes away; the rest
 * (typos, nicknames, gmail dots, apartment numbers, stale addresses, blanks) does not.
 */
export function crmRowFor(random: Random, person: Person, stale: Address | undefined): CrmRow {
  const moved = person.addresses.length > 1 && random.chance(0.15);
  const address = stale && random.chance(0.05) ? stale : moved ? person.addresses[1]! : person.addresses[0]!;
  const hasAddress = random.chance(0.85);
  const place = address.place;
  return {
    first_name: name(random, person.first, nicknameOf(person.first)),
    last_name: name(random, person.last, undefined),
    email: email(random, person),
    phone: phone(random, person),
    address: hasAddress ? street(random, address) : "",
    city: hasAddress && random.chance(0.95) ? recase(random, place.city) : "",
    state: hasAddress ? recase(random, random.chance(0.3) ? place.stateName : place.state) : "",
    zip:
      hasAddress && random.chance(0.95)
        ? random.chance(0.2)
          ? `${address.zip}-${address.zip4}`
          : address.zip
        : "",
    country: random.pick(["US", "US", "US", "USA", "United States", "us", ""]),
  };
}

/** RFC 4180 quoting for one CSV cell. */
export function csvCell(value: string): string {
  return /[",\n\r]/.test(value) || value !== value.trim() ? `"${value.replaceAll('"', '""')}"` : value;
}
