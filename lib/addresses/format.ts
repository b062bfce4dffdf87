// An address written as people in its country write it, for every page and message that shows one.
// Each wrote its own: the order page put the postcode first everywhere ("78701 Austin, TX",
// "N1 9GU London"), the invoice left out a US state, the address book wrote "Austin, TX, 78701"
// and the delivery-address message "Utrecht 3511 AB". Framework-free.
import { countryName } from "./countries";

export type PostalAddress = {
  fullName?: string | null;
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  region?: string | null;
  postalCode?: string | null;
  country?: string | null;
};

const joined = (...parts: (string | null | undefined)[]) => parts.filter(Boolean).join(" ");

/**
 * Town, region and postcode, in the country's order: "Austin, TX 78701" in the US; the town, the
 * county and the postcode each on a line in the UK; "3511 BK Utrecht" on the Continent.
 */
function placeLines({ city, region, postalCode, country }: PostalAddress): (string | null | undefined)[] {
  if (country === "US") return [joined(city && region ? `${city},` : city, region, postalCode)];
  if (country === "GB") return [city, region, postalCode];
  return [joined(postalCode, city), region];
}

/** What a line or a text message leaves out: the name (the customer's own), the country (a text is short). */
type Shown = { name?: boolean; country?: boolean };

/** The address line by line: the name, the street, the town in the country's order, the country. */
export function addressLines(address: PostalAddress, { name = true, country = true }: Shown = {}): string[] {
  const lines = [name ? address.fullName : null, address.line1, address.line2, ...placeLines(address), country && address.country ? countryName(address.country) : null];
  return lines.filter((line): line is string => Boolean(line?.trim()));
}

/** The same on one line, as a choice or a message names it: "12 Gower Street, London, WC1E 6BT, United Kingdom". */
export function addressOnOneLine(address: PostalAddress, options?: Shown): string {
  return addressLines(address, options).join(", ");
}
