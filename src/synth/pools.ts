import { en, Faker } from "@faker-js/faker";

export interface Place {
  city: string;
  state: string;
  stateName: string;
  zip3: string;
  areaCodes: string[];
}

// Real US cities with a ZIP prefix and area codes, so phones and ZIPs look like the genuine article.
const PLACES: Place[] = [
  { city: "Seattle", state: "WA", stateName: "Washington", zip3: "981", areaCodes: ["206"] },
  { city: "Spokane", state: "WA", stateName: "Washington", zip3: "992", areaCodes: ["509"] },
  { city: "Portland", state: "OR", stateName: "Oregon", zip3: "972", areaCodes: ["503", "971"] },
  { city: "San Francisco", state: "CA", stateName: "California", zip3: "941", areaCodes: ["415", "628"] },
  {
    city: "Los Angeles",
    state: "CA",
    stateName: "California",
    zip3: "900",
    areaCodes: ["213", "323", "310"],
  },
  { city: "San Diego", state: "CA", stateName: "California", zip3: "921", areaCodes: ["619", "858"] },
  { city: "San José", state: "CA", stateName: "California", zip3: "951", areaCodes: ["408", "669"] },
  { city: "Phoenix", state: "AZ", stateName: "Arizona", zip3: "850", areaCodes: ["602", "480"] },
  { city: "Denver", state: "CO", stateName: "Colorado", zip3: "802", areaCodes: ["303", "720"] },
  { city: "Austin", state: "TX", stateName: "Texas", zip3: "787", areaCodes: ["512", "737"] },
  { city: "Houston", state: "TX", stateName: "Texas", zip3: "770", areaCodes: ["713", "832", "281"] },
  { city: "Dallas", state: "TX", stateName: "Texas", zip3: "752", areaCodes: ["214", "469", "972"] },
  { city: "Chicago", state: "IL", stateName: "Illinois", zip3: "606", areaCodes: ["312", "773"] },
  { city: "Minneapolis", state: "MN", stateName: "Minnesota", zip3: "554", areaCodes: ["612"] },
  { city: "Detroit", state: "MI", stateName: "Michigan", zip3: "482", areaCodes: ["313"] },
  { city: "Columbus", state: "OH", stateName: "Ohio", zip3: "432", areaCodes: ["614", "380"] },
  { city: "Atlanta", state: "GA", stateName: "Georgia", zip3: "303", areaCodes: ["404", "678", "470"] },
  { city: "Miami", state: "FL", stateName: "Florida", zip3: "331", areaCodes: ["305", "786"] },
  { city: "Orlando", state: "FL", stateName: "Florida", zip3: "328", areaCodes: ["407", "321"] },
  { city: "Charlotte", state: "NC", stateName: "North Carolina", zip3: "282", areaCodes: ["704", "980"] },
  { city: "Nashville", state: "TN", stateName: "Tennessee", zip3: "372", areaCodes: ["615", "629"] },
  { city: "Washington", state: "DC", stateName: "District of Columbia", zip3: "200", areaCodes: ["202"] },
  { city: "Baltimore", state: "MD", stateName: "Maryland", zip3: "212", areaCodes: ["410", "443"] },
  { city: "Philadelphia", state: "PA", stateName: "Pennsylvania", zip3: "191", areaCodes: ["215", "267"] },
  { city: "Pittsburgh", state: "PA", stateName: "Pennsylvania", zip3: "152", areaCodes: ["412"] },
  { city: "New York", state: "NY", stateName: "New York", zip3: "100", areaCodes: ["212", "646", "917"] },
  { city: "Brooklyn", state: "NY", stateName: "New York", zip3: "112", areaCodes: ["718", "347"] },
  { city: "Boston", state: "MA", stateName: "Massachusetts", zip3: "021", areaCodes: ["617", "857"] },
  { city: "Newark", state: "NJ", stateName: "New Jersey", zip3: "071", areaCodes: ["973", "862"] },
  { city: "Salt Lake City", state: "UT", stateName: "Utah", zip3: "841", areaCodes: ["801", "385"] },
];

// Accented spellings a CRM may carry; Amazon's normalization transliterates them.
const ACCENTED_FIRST = [
  "José",
  "Zoë",
  "Renée",
  "Chloé",
  "Jürgen",
  "Søren",
  "Ångel",
  "Noémie",
  "Björn",
  "Mónica",
];
const ACCENTED_LAST = [
  "Müller",
  "García",
  "Groß",
  "Núñez",
  "Gómez",
  "Jørgensen",
  "Schäfer",
  "Peña",
  "Löfgren",
  "Ibáñez",
];

export const NICKNAMES: Record<string, string> = {
  William: "Bill",
  Robert: "Bob",
  Richard: "Dick",
  James: "Jim",
  John: "Jack",
  Michael: "Mike",
  Elizabeth: "Liz",
  Margaret: "Peggy",
  Katherine: "Kate",
  Jennifer: "Jen",
  Christopher: "Chris",
  Joseph: "Joe",
  Thomas: "Tom",
  Daniel: "Dan",
  Matthew: "Matt",
  Anthony: "Tony",
  Patricia: "Pat",
  Susan: "Sue",
  Deborah: "Debbie",
  Alexander: "Alex",
};

export interface Pools {
  first: string[];
  last: string[];
  streets: string[];
  places: Place[];
  emailDomains: string[];
}

/** Name and street pools drawn from faker's en locale, shuffled by the seed. */
export function buildPools(seed: number): Pools {
  const faker = new Faker({ locale: [en] });
  faker.seed(seed);
  const definitions = faker.definitions.person;
  const firstNames = [
    ...new Set([...(definitions?.first_name?.generic ?? []), ...Object.keys(NICKNAMES), ...ACCENTED_FIRST]),
  ];
  const lastNames = [...new Set([...(definitions?.last_name?.generic ?? []), ...ACCENTED_LAST])];
  const streets = new Set<string>();
  while (streets.size < 1500) streets.add(faker.location.street());
  return {
    first: faker.helpers.shuffle(firstNames),
    last: faker.helpers.shuffle(lastNames),
    streets: [...streets],
    places: PLACES,
    emailDomains: [
      "gmail.com",
      "gmail.com",
      "gmail.com",
      "yahoo.com",
      "outlook.com",
      "hotmail.com",
      "icloud.com",
      "aol.com",
      "comcast.net",
    ],
  };
}
