// The two showcase customers. Ada has an order in every state the portal must handle and Grace a
// handful, so one sign-in shows every screen; their times are exact, relative to now.
import type { Random } from "../random";
import { ADA, GRACE, type DemoAccount } from "./accounts";
import type { Catalogue } from "./catalogue";
import { buildOrderPlan, planRandomOrder, priceLine } from "./orders";
import { COUNTRIES, type CountryCode } from "./places";
import type { OrderPlan, OrderSpec, PlannedCustomer, SeedAddress } from "./plans";
import { DAY, HOUR, shift } from "./time";

function fixedCustomer(rng: Random, account: DemoAccount, country: CountryCode, createdAt: Date, phone: string, addresses: Omit<SeedAddress, "createdAt" | "phone">[]): PlannedCustomer {
  return {
    id: `seed_usr_${account.email.split("@")[0]}`,
    email: account.email,
    name: account.name,
    phone,
    analyticsId: rng.uuid(),
    analyticsConsent: true,
    createdAt,
    country,
    currency: COUNTRIES[country].currency,
    addresses: addresses.map((a) => ({ ...a, phone, createdAt })),
    orders: [],
  };
}

/**
 * Ada has an order in every state the portal must handle, so one sign-in shows every screen.
 * Times are exact (relative to now) rather than drawn, so each state is guaranteed.
 */
export function planAda(rng: Random, catalogue: Catalogue, now: Date): PlannedCustomer {
  const ago = (days: number, hours = 0) => shift(now, -(days * DAY + hours * HOUR));
  const ada = fixedCustomer(rng, ADA, "GB", ago(420), "+44 7700 900461", [
    {
      id: "seed_adr_ada_home",
      taxRate: 0.2,
      snapshot: { fullName: "Ada Lovelace", line1: "27 Marchmont Street", line2: "Flat 3", city: "London", region: null, postalCode: "WC1N 1AP", country: "GB" },
    },
    {
      id: "seed_adr_ada_work",
      taxRate: 0.2,
      snapshot: { fullName: "Ada Lovelace", line1: "Babbage House", line2: "5 Engine Lane", city: "Cambridge", region: null, postalCode: "CB2 1TN", country: "GB" },
    },
  ]);
  const [home, work] = ada.addresses;
  const line = (code: string, variantIndex: number, quantity = 1, address = home) => priceLine(catalogue.byCode(code, variantIndex), quantity, "GBP", address.taxRate);
  const order = (spec: Omit<OrderSpec, "customer" | "address"> & { address?: SeedAddress }) => buildOrderPlan(rng, { customer: ada, address: home, ...spec });

  const scripted: OrderPlan[] = [
    // Paid a few hours ago, not shipped yet: still cancellable.
    order({ placedAt: ago(0, 5), promisedDays: 5, lines: [line("LINEN-SHIRT", 1), line("CANDLE", 0, 2)] }),
    // Card declined yesterday: the balance is still due.
    order({ placedAt: ago(1, 3), promisedDays: 5, lines: [line("TRAIL-SHOE", 1)], chargeFailure: "card_declined" }),
    // On its way and on time.
    order({
      placedAt: ago(2, 4),
      promisedDays: 5,
      lines: [line("RAIN-SHELL", 1), line("BEANIE", 2)],
      shipping: { shippedAt: ago(1, 6), deliveredAt: ago(-2, -3), delayed: false },
    }),
    // Promised a week ago and still stuck in the carrier's network.
    order({ placedAt: ago(11), promisedDays: 4, lines: [line("EARBUDS", 0)], shipping: { shippedAt: ago(10, 2), delayed: true } }),
    // Delivered on time six days ago, inside the return window; the face cream is a hygiene item.
    order({
      placedAt: ago(9),
      promisedDays: 5,
      lines: [line("TEE", 2, 2), line("SNEAKER", 3), line("FACE-CREAM", 0)],
      shipping: { shippedAt: ago(8, 6), deliveredAt: ago(6, 3), delayed: false },
    }),
    // Delivered three days late; the gift card is final sale.
    order({
      placedAt: ago(22),
      promisedDays: 4,
      lines: [line("GIFT-CARD", 1), line("WALLET", 0), line("SCARF", 1)],
      shipping: { shippedAt: ago(21, 4), deliveredAt: ago(15, 2), delayed: true },
    }),
    // Delivered long ago to the work address, well outside the return window.
    order({
      placedAt: ago(75),
      promisedDays: 6,
      address: work,
      lines: [line("OVERCOAT", 0, 1, work)],
      shipping: { shippedAt: ago(74, 3), deliveredAt: ago(71, 5), delayed: false },
    }),
    // Cancelled by Ada within the hour and refunded in full.
    order({ placedAt: ago(40), promisedDays: 5, lines: [line("SPEAKER", 1)], cancellation: { at: ago(40, -0.8), actor: "customer" } }),
  ];

  // Two pairs of chinos, one sent back and refunded: partially returned.
  const partiallyReturned = order({
    placedAt: ago(27),
    promisedDays: 5,
    lines: [line("CHINOS", 1, 2), line("BRETON", 0)],
    shipping: { shippedAt: ago(26, 5), deliveredAt: ago(24, 2), delayed: false },
  });
  partiallyReturned.returns.push({
    requestedAt: ago(21),
    resolution: "REFUND",
    method: "DROP_OFF",
    lines: [{ lineIndex: 0, quantity: 1, reason: "wrong_size", note: "Kept one pair, the other is too tight around the waist" }],
    steps: [
      { to: "APPROVED", at: ago(21, -0.03), actor: "system" },
      { to: "IN_TRANSIT", at: ago(19, 4), actor: "system" },
      { to: "RECEIVED", at: ago(16, 7), actor: "backoffice" },
      { to: "INSPECTED", at: ago(15, 9), actor: "backoffice" },
      { to: "REFUNDED", at: ago(15, 8.8), actor: "system" },
    ],
  });

  // A return on its way back with a paid label: shows an in-progress return and a fee.
  const returnInTransit = order({
    placedAt: ago(16),
    promisedDays: 5,
    lines: [line("HOODIE", 2), line("TOTE", 0)],
    shipping: { shippedAt: ago(15, 2), deliveredAt: ago(12, 6), delayed: false },
  });
  returnInTransit.returns.push({
    requestedAt: ago(3, 5),
    resolution: "REFUND",
    method: "LABEL",
    lines: [{ lineIndex: 0, quantity: 1, reason: "changed_mind" }],
    steps: [
      { to: "APPROVED", at: ago(3, 4.95), actor: "system" },
      { to: "IN_TRANSIT", at: ago(1, 20), actor: "system" },
    ],
  });

  // A chipped mug set, settled in store credit: gives Ada a credit balance.
  const creditedReturn = order({
    placedAt: ago(140),
    promisedDays: 5,
    lines: [line("MUG-SET", 1), line("TOWEL", 0, 2)],
    shipping: { shippedAt: ago(139, 2), deliveredAt: ago(136, 4), delayed: false },
  });
  creditedReturn.returns.push({
    requestedAt: ago(134),
    resolution: "STORE_CREDIT",
    method: "PICKUP",
    lines: [{ lineIndex: 0, quantity: 1, reason: "damaged", note: "One mug arrived chipped" }],
    steps: [
      { to: "APPROVED", at: ago(134, -0.02), actor: "system" },
      { to: "IN_TRANSIT", at: ago(132, 3), actor: "system" },
      { to: "RECEIVED", at: ago(130, 6), actor: "backoffice" },
      { to: "INSPECTED", at: ago(129, 22), actor: "backoffice" },
      { to: "CREDITED", at: ago(129, 21.8), actor: "system" },
    ],
  });

  // An ordinary year of history around the scripted orders.
  const history = Array.from({ length: 14 }, () => rng.dateBetween(ago(365), ago(45)))
    .sort((a, b) => a.getTime() - b.getTime())
    .map((placedAt) => planRandomOrder(rng, catalogue, ada, placedAt));

  ada.orders = [...history, ...scripted, partiallyReturned, returnInTransit, creditedReturn];
  return ada;
}

export function planGrace(rng: Random, catalogue: Catalogue, now: Date): PlannedCustomer {
  const ago = (days: number, hours = 0) => shift(now, -(days * DAY + hours * HOUR));
  const grace = fixedCustomer(rng, GRACE, "US", ago(380), "+1 703 555 0142", [
    {
      id: "seed_adr_grace_home",
      taxRate: 0.06,
      snapshot: { fullName: "Grace Hopper", line1: "4100 Wilson Boulevard", line2: "Apt 1209", city: "Arlington", region: "VA", postalCode: "22203", country: "US" },
    },
  ]);
  const [home] = grace.addresses;
  const line = (code: string, variantIndex: number, quantity = 1) => priceLine(catalogue.byCode(code, variantIndex), quantity, "USD", home.taxRate);
  const order = (spec: Omit<OrderSpec, "customer" | "address">) => buildOrderPlan(rng, { customer: grace, address: home, ...spec });
  const history = [ago(260), ago(130)].map((placedAt) => planRandomOrder(rng, catalogue, grace, placedAt));
  grace.orders = [
    ...history,
    order({ placedAt: ago(8), promisedDays: 5, lines: [line("DESK-LAMP", 0), line("CABLE", 1, 2)], shipping: { shippedAt: ago(7, 3), deliveredAt: ago(4, 6), delayed: false } }),
    order({ placedAt: ago(3), promisedDays: 6, lines: [line("SWEATER", 1)], shipping: { shippedAt: ago(2, 2), deliveredAt: ago(-1, 2), delayed: false } }),
    order({ placedAt: ago(0, 9), promisedDays: 5, lines: [line("LOAFER", 0), line("BELT", 1)] }),
  ];
  return grace;
}
