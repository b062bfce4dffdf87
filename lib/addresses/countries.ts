// The countries Waymark delivers to and how an address is written in each: what the postcode is
// called, its format, and whether the region (US state) is part of the address. Framework-free,
// shared by the address form (labels and hints) and the server (the real check).

export type CountryRules = {
  name: string;
  /** As in "a German postcode": the name does not read so ("a Germany postcode"). */
  adjective: string;
  postalCodeLabel: string;
  postalCodeHint: string;
  /** Uppercases and spaces a postcode the way the post office writes it; null when it cannot be one. */
  normalisePostalCode(raw: string): string | null;
  region: { label: string; hint?: string; required: boolean; allowed?: ReadonlySet<string> };
};

const compact = (raw: string) => raw.toUpperCase().replace(/\s+/g, "");

// USPS two-letter codes: the states, DC and the territories and military "states" USPS delivers to.
const US_STATES = new Set(
  "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI AA AE AP".split(" "),
);

export const COUNTRY_CODES = ["GB", "US", "DE", "FR", "NL"] as const;
export type CountryCode = (typeof COUNTRY_CODES)[number];

export const COUNTRY_RULES: Record<CountryCode, CountryRules> = {
  GB: {
    name: "United Kingdom",
    adjective: "UK",
    postalCodeLabel: "Postcode",
    postalCodeHint: "UK postcodes look like SW1A 1AA.",
    normalisePostalCode(raw) {
      const value = compact(raw);
      if (value === "GIR0AA") return "GIR 0AA";
      const match = /^([A-Z]{1,2}\d[A-Z\d]?)(\d[ABD-HJLNP-UW-Z]{2})$/.exec(value);
      return match ? `${match[1]} ${match[2]}` : null;
    },
    region: { label: "County (optional)", required: false },
  },
  US: {
    name: "United States",
    adjective: "US",
    postalCodeLabel: "ZIP code",
    postalCodeHint: "Use 5 digits, or ZIP+4 like 97201-1234.",
    normalisePostalCode(raw) {
      const value = raw.trim();
      return /^\d{5}(-\d{4})?$/.test(value) ? value : null;
    },
    region: { label: "State", hint: "The two-letter code, like CA or NY.", required: true, allowed: US_STATES },
  },
  DE: {
    name: "Germany",
    adjective: "German",
    postalCodeLabel: "Postcode (PLZ)",
    postalCodeHint: "Use 5 digits, like 10115.",
    normalisePostalCode(raw) {
      const value = compact(raw);
      return /^(0[1-9]|[1-9]\d)\d{3}$/.test(value) ? value : null;
    },
    region: { label: "State (optional)", required: false },
  },
  FR: {
    name: "France",
    adjective: "French",
    postalCodeLabel: "Postcode (code postal)",
    postalCodeHint: "Use 5 digits, like 75011.",
    normalisePostalCode(raw) {
      const value = compact(raw);
      return /^(0[1-9]|[1-8]\d|9[0-8])\d{3}$/.test(value) ? value : null;
    },
    region: { label: "Region (optional)", required: false },
  },
  NL: {
    name: "Netherlands",
    adjective: "Dutch",
    postalCodeLabel: "Postcode",
    postalCodeHint: "Use 4 digits and 2 letters, like 1012 AB.",
    normalisePostalCode(raw) {
      const match = /^([1-9]\d{3})([A-Z]{2})$/.exec(compact(raw));
      // PostNL never issues SA, SD and SS.
      return match && !["SA", "SD", "SS"].includes(match[2]) ? `${match[1]} ${match[2]}` : null;
    },
    region: { label: "Province (optional)", required: false },
  },
};

export function isCountryCode(value: unknown): value is CountryCode {
  return typeof value === "string" && Object.hasOwn(COUNTRY_RULES, value);
}

export function countryName(code: string): string {
  return isCountryCode(code) ? COUNTRY_RULES[code].name : code;
}

/**
 * The country a new address most likely is in: that of the customer's saved addresses, the default
 * delivery address first (`addresses` in the address book's order), else the United Kingdom.
 */
export function likelyCountry(addresses: { country: string }[]): CountryCode {
  const known = addresses.find((a) => isCountryCode(a.country));
  return known ? (known.country as CountryCode) : "GB";
}
