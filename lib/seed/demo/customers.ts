// Random customers: their addresses and order histories, drawn from their country's profile.
import type { Random } from "../random";
import type { Catalogue } from "./catalogue";
import { planRandomOrder } from "./orders";
import { COUNTRIES, type CountryCode } from "./places";
import type { PlannedCustomer, SeedAddress } from "./plans";
import { DAY, HOUR, latest, MINUTE, shift } from "./time";

function planAddress(rng: Random, country: CountryCode, fullName: string, phone: string | null, createdAt: Date, id: string): SeedAddress {
  const profile = COUNTRIES[country];
  const city = rng.pick(profile.cities);
  return {
    id,
    phone,
    createdAt,
    taxRate: city.taxRate ?? profile.taxRate,
    snapshot: {
      fullName,
      line1: profile.line1(rng, rng.pick(profile.streets)),
      line2: profile.line2(rng),
      city: city.city,
      region: city.region ?? null,
      postalCode: profile.postcode(rng, rng.pick(city.postcodes)),
      country,
    },
  };
}

/** `orderCount`: exactly that many orders (the benchmark's customer with a long history), else a plausible number. */
export function planRandomCustomer(rng: Random, catalogue: Catalogue, index: number, now: Date, orderCount?: number): PlannedCustomer {
  const serial = String(index).padStart(4, "0");
  const country = rng.weighted(Object.entries(COUNTRIES).map(([code, p]) => [code as CountryCode, p.share] as const));
  const profile = COUNTRIES[country];
  const name = `${rng.pick(profile.firstNames)} ${rng.pick(profile.lastNames)}`;
  const phone = rng.chance(0.4) ? profile.phone(rng) : null;
  const createdAt = rng.dateBetween(shift(now, -1000 * DAY), shift(now, -14 * DAY));
  const customer: PlannedCustomer = {
    id: `seed_usr_${serial}`,
    email: `customer${serial}@example.com`,
    name,
    phone,
    analyticsId: rng.uuid(),
    analyticsConsent: rng.chance(0.85),
    createdAt,
    country,
    currency: profile.currency,
    addresses: [planAddress(rng, country, name, phone, createdAt, `seed_adr_${serial}_1`)],
    orders: [],
  };
  if (rng.chance(0.3)) {
    const movedIn = rng.dateBetween(createdAt, shift(now, -DAY));
    customer.addresses.push(planAddress(rng, country, name, phone, movedIn, `seed_adr_${serial}_2`));
  }
  const firstOrderFrom = latest([shift(createdAt, HOUR), shift(now, -365 * DAY)]);
  const activeDays = (now.getTime() - firstOrderFrom.getTime()) / DAY;
  const wanted = rng.weighted([[0, 3], [1, 4], [2, 5], [3, 5], [4, 6], [5, 7], [6, 7], [7, 8], [8, 8], [9, 8], [10, 8], [11, 8], [12, 7], [13, 6], [14, 5], [15, 5]] as const);
  // Someone who signed up last month has not placed fifteen orders.
  const count = orderCount ?? Math.min(wanted, 1 + Math.floor(activeDays / 10));
  const placedTimes = Array.from({ length: count }, () => rng.dateBetween(firstOrderFrom, shift(now, -20 * MINUTE))).sort((a, b) => a.getTime() - b.getTime());
  customer.orders = placedTimes.map((placedAt) => planRandomOrder(rng, catalogue, customer, placedAt));
  return customer;
}
