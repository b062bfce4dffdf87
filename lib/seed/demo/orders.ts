// Orders: their lines, charges and the carrier's scans, and the life of an ordinary order.
import type { Random } from "../random";
import { AGENT_ACTOR } from "./accounts";
import type { Catalogue, CatalogueVariant } from "./catalogue";
import { COUNTRIES, type Currency } from "./places";
import type { OrderPlan, OrderSpec, PlannedCustomer, PricedLine, ReturnPlan, SeedAddress, ShipmentEventPlan, ShipmentPlan } from "./plans";
import { planRandomReturn } from "./returns";
import { DAY, HOUR, MINUTE, SECOND, shift } from "./time";

const PAYMENT_FAILURE_CODES = ["card_declined", "insufficient_funds", "expired_card", "authentication_required"];
// An unpaid order is cancelled by the system after this long.
const PAYMENT_GRACE = 3 * DAY;

const DELIVERY_NOTES = [
  ["Delivered: handed to the recipient", 5],
  ["Delivered to a safe place", 2],
  ["Delivered to a neighbour", 2],
  ["Delivered to a parcel locker", 1],
] as const;

export function priceLine(variant: CatalogueVariant, quantity: number, currency: Currency, taxRate: number): PricedLine {
  const unitPriceMinor = variant.prices[currency];
  // Gift cards are a payment method, not a sale: tax is charged when they are spent.
  const taxMinor = variant.product.category === "gift-cards" ? 0 : Math.round(unitPriceMinor * quantity * taxRate);
  return { variant, quantity, unitPriceMinor, taxMinor };
}

function planShipment(rng: Random, address: SeedAddress, shippedAt: Date, expectedAt: Date, deliveredAt: Date | undefined, delayed: boolean): ShipmentPlan {
  const carrier = rng.weighted([["Parcelnet", 60], ["SwiftPost", 40]] as const);
  const profile = COUNTRIES[address.snapshot.country];
  const hub = rng.pick(profile.hubs);
  const destination = [address.snapshot.city, address.snapshot.region, address.snapshot.country].filter(Boolean).join(", ");
  // A parcel that never arrives keeps being scanned for a while after its promised date.
  const end = deliveredAt ?? shift(expectedAt, 5 * DAY);
  const span = end.getTime() - shippedAt.getTime();
  const along = (fraction: number) => shift(shippedAt, span * (fraction + rng.next() * 0.05));
  const events: ShipmentEventPlan[] = [
    { status: "LABEL_CREATED", description: "Shipping label created", location: profile.warehouse, at: shippedAt },
    { status: "IN_TRANSIT", description: `Picked up by ${carrier}`, location: profile.warehouse, at: along(0.08) },
    { status: "IN_TRANSIT", description: "Arrived at sorting hub", location: hub, at: along(0.3) },
  ];
  if (delayed) {
    events.push(
      { status: "EXCEPTION", description: "Delayed: high parcel volumes at the sorting hub", location: hub, at: along(0.45) },
      { status: "IN_TRANSIT", description: "Departed sorting hub", location: hub, at: along(0.7) },
    );
  } else {
    events.push({ status: "IN_TRANSIT", description: "Departed sorting hub", location: hub, at: along(0.5) });
  }
  if (deliveredAt) {
    const outForDelivery = shift(deliveredAt, -Math.min(rng.int(HOUR, 5 * HOUR), span * 0.1));
    events.push(
      { status: "OUT_FOR_DELIVERY", description: "Out for delivery", location: destination, at: outForDelivery },
      { status: "DELIVERED", description: rng.weighted(DELIVERY_NOTES), location: destination, at: deliveredAt },
    );
  }
  return { carrier, shippedAt, expectedAt, events };
}

export function buildOrderPlan(rng: Random, spec: OrderSpec): OrderPlan {
  const promisedDeliveryAt = shift(spec.placedAt, spec.promisedDays * DAY);
  const shipment = spec.shipping
    ? planShipment(rng, spec.address, spec.shipping.shippedAt, promisedDeliveryAt, spec.shipping.deliveredAt, spec.shipping.delayed)
    : undefined;
  return {
    customer: spec.customer,
    address: spec.address,
    placedAt: spec.placedAt,
    promisedDeliveryAt,
    lines: spec.lines,
    chargedAt: shift(spec.placedAt, rng.int(3, 40) * SECOND),
    chargeFailure: spec.chargeFailure,
    balancePaidAt: spec.balancePaidAt,
    cancellation: spec.cancellation,
    shipment,
    returns: spec.returns ?? [],
  };
}

function pickLines(rng: Random, catalogue: Catalogue, customer: PlannedCustomer, address: SeedAddress): PricedLine[] {
  const count = rng.weighted([[1, 45], [2, 30], [3, 17], [4, 8]] as const);
  const chosen = new Set<CatalogueVariant>();
  // Distinct variants; a few extra draws cover the rare repeat.
  for (let draw = 0; chosen.size < count && draw < count * 4; draw++) chosen.add(rng.weighted(catalogue.popularity));
  return [...chosen].map((variant) => {
    const multiples = variant.product.category === "home" || variant.product.category === "beauty";
    const quantity = rng.weighted(multiples ? ([[1, 70], [2, 22], [3, 8]] as const) : ([[1, 88], [2, 10], [3, 2]] as const));
    return priceLine(variant, quantity, customer.currency, address.taxRate);
  });
}


/** One ordinary order: the whole life it will have, decided up front from the customer's stream. */
export function planRandomOrder(rng: Random, catalogue: Catalogue, customer: PlannedCustomer, placedAt: Date): OrderPlan {
  const known = customer.addresses.filter((a) => a.createdAt <= placedAt);
  const address = known.length > 1 && rng.chance(0.2) ? known[1] : known[0];
  const lines = pickLines(rng, catalogue, customer, address);
  const promisedDays = rng.int(3, 7);
  const chargeFailure = rng.chance(0.04) ? rng.pick(PAYMENT_FAILURE_CODES) : undefined;
  let balancePaidAt: Date | undefined;
  let cancellation: OrderSpec["cancellation"];
  if (chargeFailure) {
    if (rng.chance(0.6)) balancePaidAt = shift(placedAt, rng.int(20 * MINUTE, 30 * HOUR));
    else cancellation = { at: shift(placedAt, PAYMENT_GRACE), actor: "system" };
  }
  // The charge lands seconds after placing; everything below is minutes or hours later.
  const paidAt = chargeFailure ? balancePaidAt : placedAt;
  if (paidAt && rng.chance(0.035)) {
    cancellation = { at: shift(paidAt, rng.int(5 * MINUTE, 6 * HOUR)), actor: rng.chance(0.8) ? "customer" : AGENT_ACTOR };
  }
  let shipping: OrderSpec["shipping"];
  let returns: ReturnPlan[] = [];
  if (paidAt && !cancellation) {
    const shippedAt = shift(paidAt, rng.int(4 * HOUR, 36 * HOUR));
    const expectedAt = shift(placedAt, promisedDays * DAY);
    const late = rng.chance(0.08);
    const deliveredAt = late ? shift(expectedAt, rng.int(5 * HOUR, 4 * DAY)) : rng.dateBetween(shift(shippedAt, 20 * HOUR), shift(expectedAt, -30 * MINUTE));
    shipping = { shippedAt, deliveredAt, delayed: late };
    const planned = rng.chance(0.06) ? planRandomReturn(rng, lines, deliveredAt) : undefined;
    if (planned) returns = [planned];
  }
  return buildOrderPlan(rng, { customer, address, placedAt, promisedDays, lines, chargeFailure, balancePaidAt, cancellation, shipping, returns });
}
