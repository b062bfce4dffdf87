// Money and places: currencies, shipping and return fees, and per-country profiles (names,
// streets, postcodes, phone numbers, warehouses) that customers and addresses are drawn from.
import type { Random } from "../random";

export type Currency = "USD" | "GBP" | "EUR";
export type CountryCode = "US" | "GB" | "DE" | "FR" | "NL";

export const STANDARD_SHIPPING_MINOR: Record<Currency, number> = { USD: 695, GBP: 395, EUR: 495 };
export const FREE_SHIPPING_FROM_MINOR: Record<Currency, number> = { USD: 7500, GBP: 6000, EUR: 7000 };
export const RETURN_LABEL_FEE_MINOR: Record<Currency, number> = { USD: 595, GBP: 295, EUR: 395 };
// Returns worth more than this wait for an agent before they are approved.
export const RETURN_REVIEW_FROM_MINOR = 20_000;
export const RETURN_WINDOW_DAYS = 30;
export const CUSTOMER_CHOICE_REASONS = new Set(["wrong_size", "changed_mind"]);

type City = { city: string; region?: string; postcodes: readonly string[]; taxRate?: number };

type CountryProfile = {
  currency: Currency;
  share: number;
  taxRate: number;
  firstNames: readonly string[];
  lastNames: readonly string[];
  streets: readonly string[];
  cities: readonly City[];
  line1(rng: Random, street: string): string;
  line2(rng: Random): string | null;
  /** Completes a postcode prefix from `cities` (GB inward codes, NL letter pairs). */
  postcode(rng: Random, prefix: string): string;
  /** Only numbers from ranges reserved for fiction, or none. */
  phone(rng: Random): string | null;
  warehouse: string;
  hubs: readonly string[];
};

const twoDigits = (rng: Random) => String(rng.int(0, 99)).padStart(2, "0");

export const COUNTRIES: Record<CountryCode, CountryProfile> = {
  US: {
    currency: "USD",
    share: 38,
    taxRate: 0,
    firstNames: ["James", "Mary", "Michael", "Jennifer", "David", "Emily", "Daniel", "Sarah", "Chris", "Jessica", "Marcus", "Olivia", "Tyler", "Maria", "Andre", "Hannah"],
    lastNames: ["Smith", "Johnson", "Williams", "Brown", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Anderson", "Taylor", "Nguyen", "Moore", "Jackson", "Lee", "Walker"],
    streets: ["Maple Street", "Oak Avenue", "Cedar Lane", "Washington Street", "Park Avenue", "Elm Street", "Lincoln Avenue", "Pine Street", "Lake Drive", "Hillcrest Road"],
    cities: [
      { city: "Portland", region: "OR", postcodes: ["97201", "97205", "97209", "97212", "97214"], taxRate: 0 },
      { city: "Austin", region: "TX", postcodes: ["78701", "78702", "78704", "78745"], taxRate: 0.0825 },
      { city: "Columbus", region: "OH", postcodes: ["43201", "43206", "43215"], taxRate: 0.075 },
      { city: "Denver", region: "CO", postcodes: ["80202", "80205", "80218"], taxRate: 0.0881 },
      { city: "Raleigh", region: "NC", postcodes: ["27601", "27603", "27609"], taxRate: 0.0725 },
      { city: "Madison", region: "WI", postcodes: ["53703", "53704", "53711"], taxRate: 0.055 },
      { city: "Sacramento", region: "CA", postcodes: ["95814", "95816", "95819"], taxRate: 0.0875 },
      { city: "Boston", region: "MA", postcodes: ["02108", "02116", "02130"], taxRate: 0.0625 },
      { city: "Seattle", region: "WA", postcodes: ["98101", "98103", "98122"], taxRate: 0.1035 },
    ],
    line1: (rng, street) => `${rng.int(12, 4980)} ${street}`,
    line2: (rng) => (rng.chance(0.3) ? rng.pick([`Apt ${rng.int(1, 30)}${rng.pick(["A", "B", "C"])}`, `Unit ${rng.int(101, 920)}`]) : null),
    postcode: (_rng, prefix) => prefix,
    phone: (rng) => `+1 ${rng.pick(["206", "303", "512", "617", "919"])} 555 01${twoDigits(rng)}`,
    warehouse: "Reno, NV, US",
    hubs: ["Memphis, TN, US", "Louisville, KY, US", "Indianapolis, IN, US"],
  },
  GB: {
    currency: "GBP",
    share: 24,
    taxRate: 0.2,
    firstNames: ["Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Emily", "Noah", "Sophie", "Charlie", "Priya", "Thomas", "Poppy", "William", "Freya"],
    lastNames: ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson", "Wright", "Thompson", "Evans", "Walker", "Khan", "Hughes"],
    streets: ["High Street", "Church Road", "Station Road", "Victoria Road", "Park Lane", "Queen's Road", "Mill Lane", "Albert Street", "Grove Road", "Kingsway"],
    cities: [
      { city: "London", postcodes: ["N1", "E8", "SE15", "SW9", "NW5", "W12"] },
      { city: "Manchester", postcodes: ["M4", "M14", "M20"] },
      { city: "Bristol", postcodes: ["BS3", "BS6", "BS7"] },
      { city: "Leeds", postcodes: ["LS6", "LS7", "LS8"] },
      { city: "Edinburgh", postcodes: ["EH6", "EH7", "EH9"] },
      { city: "Brighton", postcodes: ["BN1", "BN2"] },
      { city: "Glasgow", postcodes: ["G12", "G41"] },
    ],
    line1: (rng, street) => `${rng.int(1, 180)} ${street}`,
    line2: (rng) => (rng.chance(0.2) ? `Flat ${rng.int(1, 12)}` : null),
    postcode: (rng, outward) => `${outward} ${rng.int(1, 9)}${rng.pick([..."ABDEFGHJLNPQRSTUWXYZ"])}${rng.pick([..."ABDEFGHJLNPQRSTUWXYZ"])}`,
    // Ofcom reserves 07700 900000–900999 for drama.
    phone: (rng) => `+44 7700 900${String(rng.int(0, 999)).padStart(3, "0")}`,
    warehouse: "Northampton, GB",
    hubs: ["Birmingham, GB", "Coventry, GB", "Warrington, GB"],
  },
  DE: {
    currency: "EUR",
    share: 16,
    taxRate: 0.19,
    firstNames: ["Lukas", "Anna", "Leon", "Mia", "Jonas", "Lea", "Felix", "Hannah", "Paul", "Sophie", "Maximilian", "Laura", "Jan", "Lena"],
    lastNames: ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Schulz", "Koch", "Richter", "Wolf", "Neumann"],
    streets: ["Hauptstraße", "Bahnhofstraße", "Gartenstraße", "Schillerstraße", "Goethestraße", "Lindenallee", "Bergstraße", "Kirchweg", "Mozartstraße", "Rosenweg"],
    cities: [
      { city: "Berlin", postcodes: ["10115", "10178", "10245", "10405", "10437", "10999", "12043"] },
      { city: "Hamburg", postcodes: ["20095", "20249", "22765", "22767"] },
      { city: "München", postcodes: ["80331", "80469", "80799", "81541"] },
      { city: "Köln", postcodes: ["50667", "50672", "50823"] },
      { city: "Leipzig", postcodes: ["04103", "04107", "04275"] },
      { city: "Frankfurt am Main", postcodes: ["60311", "60316", "60594"] },
    ],
    line1: (rng, street) => `${street} ${rng.int(1, 120)}${rng.chance(0.1) ? "a" : ""}`,
    line2: (rng) => (rng.chance(0.15) ? rng.pick(["Hinterhaus", `${rng.int(1, 5)}. OG`]) : null),
    postcode: (_rng, prefix) => prefix,
    phone: () => null,
    warehouse: "Venlo, NL",
    hubs: ["Kassel, DE", "Hannover, DE", "Erfurt, DE"],
  },
  FR: {
    currency: "EUR",
    share: 11,
    taxRate: 0.2,
    firstNames: ["Louis", "Camille", "Gabriel", "Léa", "Hugo", "Chloé", "Arthur", "Manon", "Jules", "Inès", "Lucas", "Juliette", "Nathan", "Zoé"],
    lastNames: ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel"],
    streets: ["rue de la République", "avenue Jean Jaurès", "rue Victor Hugo", "boulevard Voltaire", "rue du Moulin", "rue des Lilas", "place de la Mairie", "rue Pasteur", "allée des Tilleuls", "rue de la Paix"],
    cities: [
      { city: "Paris", postcodes: ["75003", "75011", "75015", "75018", "75020"] },
      { city: "Lyon", postcodes: ["69001", "69003", "69007"] },
      { city: "Marseille", postcodes: ["13001", "13006", "13008"] },
      { city: "Toulouse", postcodes: ["31000", "31300", "31400"] },
      { city: "Lille", postcodes: ["59000", "59800"] },
      { city: "Nantes", postcodes: ["44000", "44100"] },
      { city: "Bordeaux", postcodes: ["33000", "33800"] },
    ],
    line1: (rng, street) => `${rng.int(1, 140)}${rng.chance(0.08) ? " bis" : ""} ${street}`,
    line2: (rng) => (rng.chance(0.2) ? rng.pick([`Bâtiment ${rng.pick(["A", "B", "C"])}`, `Appartement ${rng.int(1, 60)}`]) : null),
    postcode: (_rng, prefix) => prefix,
    // ARCEP reserves 06 39 98 xx xx for fiction.
    phone: (rng) => `+33 6 39 98 ${twoDigits(rng)} ${twoDigits(rng)}`,
    warehouse: "Venlo, NL",
    hubs: ["Paris-Nord, FR", "Lyon Saint-Exupéry, FR", "Orléans, FR"],
  },
  NL: {
    currency: "EUR",
    share: 11,
    taxRate: 0.21,
    firstNames: ["Daan", "Emma", "Sem", "Julia", "Lucas", "Tess", "Finn", "Sophie", "Levi", "Anna", "Milan", "Sara", "Bram", "Fleur"],
    lastNames: ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos", "Peters"],
    streets: ["Prinsengracht", "Kerkstraat", "Dorpsstraat", "Molenweg", "Stationsweg", "Wilhelminastraat", "Julianalaan", "Lindenlaan", "Nieuwstraat", "Schoolstraat"],
    cities: [
      { city: "Amsterdam", postcodes: ["1012", "1015", "1017", "1053", "1072", "1091"] },
      { city: "Rotterdam", postcodes: ["3011", "3013", "3021", "3071"] },
      { city: "Utrecht", postcodes: ["3511", "3512", "3581"] },
      { city: "Den Haag", postcodes: ["2511", "2514", "2585"] },
      { city: "Eindhoven", postcodes: ["5611", "5616"] },
      { city: "Groningen", postcodes: ["9711", "9712"] },
    ],
    line1: (rng, street) => `${street} ${rng.int(1, 250)}${rng.chance(0.15) ? `-${rng.int(1, 4)}` : ""}`,
    line2: () => null,
    postcode: (rng, digits) => `${digits} ${rng.pick([..."ABCEGHJKLMNPRTVWXZ"])}${rng.pick([..."ABCEGHJKLMNPRTVWXZ"])}`,
    phone: () => null,
    warehouse: "Venlo, NL",
    hubs: ["Nieuwegein, NL", "Zwolle, NL"],
  },
};
