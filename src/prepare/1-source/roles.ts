import { type IdentityKind, isIdentityKind } from "../../normalize/index.ts";
import { foldToAscii } from "../../normalize/text.ts";
import { PrepareError } from "../errors.ts";
import type { ColumnPlan, ColumnRole, IdentityColumn } from "../types.ts";

const ID_KEYS = [
  "customerid",
  "custid",
  "customerno",
  "customernumber",
  "recid",
  "recordid",
  "userid",
  "memberid",
  "contactid",
  "crmid",
  "uniqueid",
  "externalid",
  "clientid",
  "accountid",
  "personid",
  "uid",
  "id",
  "rowid",
  "primarykey",
];

// Header keys (folded, only [a-z], trailing digits dropped) → kind. "street number" is an ADDRESS part.
const KEYS: Record<string, IdentityKind | "ADDRESS_NUMBER"> = {};
function keys(kind: IdentityKind | "ADDRESS_NUMBER", words: string): void {
  for (const word of words.split(" ")) KEYS[word] = kind;
}
keys("EMAIL_ADDRESS", "email emailaddress mail emailaddr eml emails mailaddress");
keys(
  "PHONE",
  "phone phonenumber mobile mobilephone mobilenumber cell cellphone telephone tel homephone workphone phoneno msisdn",
);
keys("NAME_FIRST", "firstname fname givenname first forename prenom vorname nombre");
keys("NAME_LAST", "lastname lname surname familyname last nachname apellido");
keys("ADDRESS", "address street streetaddress addressline addr streetline strasse");
keys("ADDRESS_NUMBER", "streetnumber streetno housenumber houseno hausnummer");
keys("ADDRESS_CITY", "city town suburb locality municipality ville ort stadt");
keys("ADDRESS_STATE", "state region province stateprovince stateorprovince prefecture");
keys("ADDRESS_POSTALCODE", "zip zipcode postcode postalcode postal plz pincode");
keys("ADDRESS_COUNTRY", "country countrycode countryname nation");
keys("MAID", "maid idfa gaid aaid adid mobileadid deviceid advertisingid mobileadvertisingid");
keys("LRP", "lrp rampid liverampid liveramp ramp");
keys("EXP", "exp experian experianid");
keys("MKL", "mkl merkle merkleid");

const TYPE_ALIASES: Record<string, string> = {
  EMAIL: "EMAIL_ADDRESS",
  PHONE_NUMBER: "PHONE",
  FIRST_NAME: "NAME_FIRST",
  LAST_NAME: "NAME_LAST",
  ADDRESS_STREET1: "ADDRESS",
  ADDRESS_STREET2: "ADDRESS",
  CITY: "ADDRESS_CITY",
  STATE: "ADDRESS_STATE",
  ZIP: "ADDRESS_POSTALCODE",
  POSTAL: "ADDRESS_POSTALCODE",
  COUNTRY: "ADDRESS_COUNTRY",
  LIVERAMP: "LRP",
  EXPERIAN: "EXP",
  MERKLE: "MKL",
  ID: "UNIQUE_ID",
  SKIP: "IGNORE",
};

/** Lowercase Glue/ER column name from a header: folded to ASCII, runs of other characters become '_'. */
export function columnName(header: string): string {
  const name = foldToAscii(header.trim())
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return /^[0-9]/.test(name) ? `c_${name}` : name;
}

function headerKey(header: string): string {
  return foldToAscii(header.trim()).replace(/[^a-z]+/g, "");
}

function mapType(column: string, type: string): IdentityKind | "UNIQUE_ID" | "IGNORE" {
  const upper = type.trim().toUpperCase();
  const resolved = TYPE_ALIASES[upper] ?? upper;
  if (resolved === "UNIQUE_ID" || resolved === "IGNORE" || isIdentityKind(resolved)) return resolved;
  throw new PrepareError(
    `--map ${column}=${type}: unknown type`,
    "use an ER attribute type (EMAIL_ADDRESS, PHONE, NAME_FIRST, NAME_LAST, ADDRESS, ADDRESS_CITY, ADDRESS_STATE, " +
      "ADDRESS_POSTALCODE, ADDRESS_COUNTRY), MAID, LRP, EXP, MKL, UNIQUE_ID or IGNORE",
  );
}

function findColumn(headers: string[], wanted: string, what: string, file: string): number {
  const exact = headers.indexOf(wanted);
  if (exact !== -1) return exact;
  const loose = headers.findIndex((h) => h.trim().toLowerCase() === wanted.trim().toLowerCase());
  if (loose !== -1) return loose;
  throw new PrepareError(
    `${file}: ${what} names column '${wanted}', which is not in the header`,
    `the header has: ${headers.map((h) => `'${h.trim()}'`).join(", ")}`,
  );
}

/** Decides each column's role from --map, --id-column and the header names. */
export function planColumns(
  headers: string[],
  options: { map?: Record<string, string>; idColumn?: string },
  file: string,
): ColumnPlan {
  const assigned = new Map<
    number,
    { type: IdentityKind | "UNIQUE_ID" | "IGNORE" | "ADDRESS_NUMBER"; by: ColumnRole["detectedBy"] }
  >();
  for (const [column, type] of Object.entries(options.map ?? {})) {
    assigned.set(findColumn(headers, column, `--map ${column}=${type}`, file), {
      type: mapType(column, type),
      by: "map",
    });
  }
  let idIndex =
    options.idColumn === undefined ? -1 : findColumn(headers, options.idColumn, "--id-column", file);
  if (idIndex === -1) {
    const mapped = [...assigned].find(([, a]) => a.type === "UNIQUE_ID");
    if (mapped) idIndex = mapped[0];
  }
  if (idIndex === -1) {
    const byKey = headers.map(headerKey);
    for (const key of ID_KEYS) {
      const index = byKey.findIndex((k, i) => k === key && !assigned.has(i));
      if (index !== -1) {
        idIndex = index;
        break;
      }
    }
  }
  if (idIndex === -1) {
    throw new PrepareError(
      `${file}: no unique id column (looked for customer_id, id, rec_id, user_id, …)`,
      "name it with --id-column <column>; AMC needs one id per customer to join events with",
    );
  }
  assigned.set(idIndex, {
    type: "UNIQUE_ID",
    by: options.idColumn !== undefined ? "id-column" : (assigned.get(idIndex)?.by ?? "header"),
  });
  headers.forEach((header, index) => {
    if (assigned.has(index)) return;
    const key = headerKey(header);
    const kind = KEYS[key] ?? KEYS[key.replace(/\d+$/, "")];
    if (kind) assigned.set(index, { type: kind, by: "header" });
  });

  const roles: ColumnRole[] = headers.map((header, index) => {
    const a = assigned.get(index);
    if (!a || a.type === "IGNORE")
      return { source: header.trim(), role: "IGNORED", detectedBy: a ? "map" : "none" };
    if (a.type === "UNIQUE_ID") return { source: header.trim(), role: "UNIQUE_ID", detectedBy: a.by };
    const kind = a.type === "ADDRESS_NUMBER" ? "ADDRESS" : a.type;
    return { source: header.trim(), role: "IDENTITY", kind, detectedBy: a.by };
  });

  const taken = new Set<string>();
  const unique = (name: string): string => {
    let candidate = name;
    for (let n = 2; taken.has(candidate); n++) candidate = `${name}_${n}`;
    taken.add(candidate);
    return candidate;
  };
  const idName = unique(requireName(headers[idIndex]!, idIndex, file));

  const identity: IdentityColumn[] = [];
  // All address parts make one address: number first, then the lines in header order.
  const addressParts = [...assigned]
    .filter(([, a]) => a.type === "ADDRESS" || a.type === "ADDRESS_NUMBER")
    .sort(([ia, a], [ib, b]) => (a.type === b.type ? ia - ib : a.type === "ADDRESS_NUMBER" ? -1 : 1))
    .map(([index]) => index);
  headers.forEach((header, index) => {
    const a = assigned.get(index);
    if (!a || a.type === "IGNORE" || a.type === "UNIQUE_ID") return;
    if (a.type === "ADDRESS" || a.type === "ADDRESS_NUMBER") {
      if (index !== Math.min(...addressParts)) return;
      const name = addressParts.length > 1 ? "address" : requireName(header, index, file);
      identity.push({ name: unique(name), kind: "ADDRESS", sources: addressParts });
      return;
    }
    identity.push({ name: unique(requireName(header, index, file)), kind: a.type, sources: [index] });
  });
  if (identity.length === 0) {
    throw new PrepareError(
      `${file}: no identity columns recognised in the header`,
      "map them with --map <column>=EMAIL_ADDRESS (or PHONE, NAME_FIRST, NAME_LAST, ADDRESS, ADDRESS_CITY, ADDRESS_STATE, ADDRESS_POSTALCODE, ADDRESS_COUNTRY, MAID, LRP, EXP, MKL)",
    );
  }
  const countryIndex = identity.find((c) => c.kind === "ADDRESS_COUNTRY")?.sources[0] ?? -1;
  return { idIndex, idName, countryIndex, identity, roles };
}

function requireName(header: string, index: number, file: string): string {
  const name = columnName(header);
  if (name.length === 0) {
    throw new PrepareError(
      `${file}: header of column ${index + 1} has no letters or digits, so it cannot become a Glue column name`,
      "rename that header in the file, or drop the column with --map '<header>=IGNORE'",
    );
  }
  return name;
}
