import { NICKNAMES, type Place, type Pools } from "./pools.ts";
import { Random } from "./random.ts";

export interface Address {
  number: number;
  street: string;
  place: Place;
  zip: string;
  zip4: string;
}

/** One person of the synthetic world; the graph holds persons 0..people-1, the CRM may name others. */
export interface Person {
  index: number;
  first: string;
  last: string;
  emails: string[];
  /** 10-digit NANP numbers: the mobile first, then the household landline if any. */
  phones: string[];
  /** The current address first, then the previous one for movers. */
  addresses: Address[];
}

const SALT_HOUSEHOLD = 0x686f7573;
const SALT_PERSON = 0x70657273;

export function targetIdOf(index: number): string {
  return `T${index}`;
}

/** Lowercase ASCII letters of a name, as an email local part would carry them. */
export function asciiName(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ß/g, "ss")
    .replace(/ø/gi, "o")
    .toLowerCase()
    .replace(/[^a-z]/g, "");
}

function address(random: Random, pools: Pools): Address {
  const place = random.pick(pools.places);
  return {
    number: 1 + random.int(9999),
    street: random.pick(pools.streets),
    place,
    zip: place.zip3 + String(random.int(100)).padStart(2, "0"),
    zip4: String(random.int(10000)).padStart(4, "0"),
  };
}

function phone(random: Random, place: Place): string {
  const exchange = 200 + random.int(800);
  return `${random.pick(place.areaCodes)}${exchange}${String(random.int(10000)).padStart(4, "0")}`;
}

/**
 * Person #index, a pure function of (pools, seed, index). Persons come in blocks of three that form
 * households: 40% three singles, 35% a couple and a single, 25% a family of three. A household shares
 * its current address, most often its last name, and in half of them a landline.
 */
export function personAt(pools: Pools, seed: number, index: number): Person {
  const block = Math.floor(index / 3);
  const member = index % 3;
  const house = new Random(seed, SALT_HOUSEHOLD, block);
  const kind = house.next();
  const size = kind < 0.4 ? 1 : kind < 0.75 ? 2 : 3;
  const sharedLast = house.pick(pools.last);
  const sharedAddress = address(house, pools);
  const landline = house.chance(0.5) ? phone(house, sharedAddress.place) : undefined;
  const inHousehold = size > 1 && member < size;

  const random = new Random(seed, SALT_PERSON, index);
  const first = random.pick(pools.first);
  const last = inHousehold && random.chance(0.9) ? sharedLast : random.pick(pools.last);
  const current = inHousehold ? sharedAddress : address(random, pools);
  const addresses = [current];
  if (random.chance(0.2)) addresses.push(address(random, pools)); // movers: the graph keeps the old address

  const f = asciiName(first) || "x";
  const l = asciiName(last) || "y";
  const tag = index.toString(36);
  const forms = [`${f}.${l}`, `${f}${l}`, `${f[0]}${l}`, `${f}_${l}`, `${l}.${f}`, `${f}${l[0]}`];
  const emailCount = 1 + (random.chance(0.5) ? 1 : 0);
  const emails: string[] = [];
  for (let k = 0; k < emailCount; k++) {
    // The base-36 tag keeps every address unique to its person, as a real mailbox is.
    emails.push(`${random.pick(forms)}${k === 0 ? "" : k}.${tag}@${random.pick(pools.emailDomains)}`);
  }
  const phones = [phone(random, current.place)];
  if (inHousehold && landline) phones.push(landline);
  return { index, first, last, emails, phones, addresses };
}

export function nicknameOf(first: string): string | undefined {
  return NICKNAMES[first];
}
