// Turns the plans into database rows: ids are ours, so children reference parents without round
// trips, and everything that has not happened by `now` is cut off.
import type { OrderStatus, PaymentStatus, Prisma, ReturnStatus } from "@/lib/generated/prisma/client";
import { createRandom, deriveSeed, type Random } from "../random";
import { AGENT, AGENT_USER_ID, ANALYST } from "./accounts";
import { buildCatalogue } from "./catalogue";
import { planRandomCustomer } from "./customers";
import { CUSTOMER_CHOICE_REASONS, FREE_SHIPPING_FROM_MINOR, RETURN_LABEL_FEE_MINOR, STANDARD_SHIPPING_MINOR } from "./places";
import { returnValueMinor } from "./returns";
import { planAda, planGrace } from "./showcase-customers";
import { DAY, earliest, latest, SECOND, shift } from "./time";

type SeedRows = {
  users: Prisma.UserCreateManyInput[];
  addresses: Prisma.AddressCreateManyInput[];
  products: Prisma.ProductCreateManyInput[];
  variants: Prisma.VariantCreateManyInput[];
  orders: Prisma.OrderCreateManyInput[];
  orderLines: Prisma.OrderLineCreateManyInput[];
  orderStatusChanges: Prisma.OrderStatusChangeCreateManyInput[];
  shipments: Prisma.ShipmentCreateManyInput[];
  shipmentEvents: Prisma.ShipmentEventCreateManyInput[];
  payments: Prisma.PaymentCreateManyInput[];
  returns: Prisma.ReturnCreateManyInput[];
  returnLines: Prisma.ReturnLineCreateManyInput[];
  returnStatusChanges: Prisma.ReturnStatusChangeCreateManyInput[];
  refunds: Prisma.RefundCreateManyInput[];
  storeCredit: Prisma.StoreCreditEntryCreateManyInput[];
};

function sequence(prefix: string) {
  let n = 0;
  return () => `${prefix}${String(++n).padStart(6, "0")}`;
}

/** Human-facing numbers that grow with time, with the gaps other shoppers' orders would leave. */
function numbering(rng: Random, prefix: string, first: number) {
  let next = first;
  return () => {
    if (next > 999_999) throw new Error(`${prefix} numbers ran out of six digits: seed fewer customers`);
    const number = `${prefix}${next}`;
    next += rng.int(1, 3);
    return number;
  };
}

/** The account `manyOrders` gives its orders to (the benchmark signs in as it). */
export const MANY_ORDERS_EMAIL = "many-orders@example.com";

export function buildDemoRows({ seed, customerCount, now, passwordHash, manyOrders }: { seed: number; customerCount: number; now: Date; passwordHash: string; manyOrders?: number }): SeedRows {
  const catalogue = buildCatalogue();
  const customers = [
    planAda(createRandom(deriveSeed(seed, "ada")), catalogue, now),
    planGrace(createRandom(deriveSeed(seed, "grace")), catalogue, now),
    ...Array.from({ length: customerCount }, (_, i) => planRandomCustomer(createRandom(deriveSeed(seed, `customer:${i + 1}`)), catalogue, i + 1, now)),
  ];
  if (manyOrders) {
    const index = customerCount + 1;
    customers.push({ ...planRandomCustomer(createRandom(deriveSeed(seed, "many-orders")), catalogue, index, now, manyOrders), email: MANY_ORDERS_EMAIL });
  }
  const rows: SeedRows = {
    users: [],
    addresses: [],
    products: [],
    variants: [],
    orders: [],
    orderLines: [],
    orderStatusChanges: [],
    shipments: [],
    shipmentEvents: [],
    payments: [],
    returns: [],
    returnLines: [],
    returnStatusChanges: [],
    refunds: [],
    storeCredit: [],
  };

  const staffRandom = createRandom(deriveSeed(seed, "staff"));
  for (const [account, id, joinedDaysAgo] of [[AGENT, AGENT_USER_ID, 500], [ANALYST, "seed_usr_analyst", 480]] as const) {
    const createdAt = shift(now, -joinedDaysAgo * DAY);
    rows.users.push({ id, email: account.email, name: account.name, role: account.role, passwordHash, analyticsId: staffRandom.uuid(), createdAt, updatedAt: createdAt });
  }
  for (const c of customers) {
    rows.users.push({
      id: c.id,
      email: c.email,
      name: c.name,
      phone: c.phone,
      role: "CUSTOMER",
      passwordHash,
      analyticsId: c.analyticsId,
      analyticsConsent: c.analyticsConsent,
      createdAt: c.createdAt,
      updatedAt: c.createdAt,
    });
    c.addresses.forEach((a, index) => {
      rows.addresses.push({ id: a.id, userId: c.id, ...a.snapshot, phone: a.phone, isDefaultShipping: index === 0, isDefaultBilling: index === 0, createdAt: a.createdAt });
    });
  }

  const orders = customers.flatMap((c) => c.orders).sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime());
  const numbers = createRandom(deriveSeed(seed, "numbers"));
  const nextOrderNumber = numbering(numbers, "WM-", 204_817);
  const nextReturnNumber = numbering(numbers, "RT-", 100_362);
  const returnNumbers = new Map(
    orders
      .flatMap((o) => o.returns)
      .filter((r) => r.requestedAt <= now)
      .sort((a, b) => a.requestedAt.getTime() - b.requestedAt.getTime())
      .map((r) => [r, nextReturnNumber()] as const),
  );
  const ids = {
    order: sequence("seed_ord_"),
    line: sequence("seed_oln_"),
    statusChange: sequence("seed_osc_"),
    shipment: sequence("seed_shp_"),
    shipmentEvent: sequence("seed_sev_"),
    payment: sequence("seed_pay_"),
    paymentIntent: sequence("pi_seed_"),
    refund: sequence("seed_ref_"),
    stripeRefund: sequence("re_seed_"),
    return: sequence("seed_ret_"),
    returnLine: sequence("seed_rln_"),
    returnStatusChange: sequence("seed_rsc_"),
    storeCredit: sequence("seed_scr_"),
  };
  let shipmentSerial = 0;
  const trackingRandom = createRandom(deriveSeed(seed, "tracking"));
  const reserved = new Map<string, number>();

  for (const plan of orders) {
    const number = nextOrderNumber();
    const orderId = ids.order();
    const currency = plan.customer.currency;
    const subtotalMinor = plan.lines.reduce((sum, l) => sum + l.unitPriceMinor * l.quantity, 0);
    const taxMinor = plan.lines.reduce((sum, l) => sum + l.taxMinor, 0);
    const shippingMinor = subtotalMinor >= FREE_SHIPPING_FROM_MINOR[currency] ? 0 : STANDARD_SHIPPING_MINOR[currency];
    const totalMinor = subtotalMinor + shippingMinor + taxMinor;

    // Status history, cut at `now`. Charges settle within seconds and orders are never placed in
    // the last few minutes, so the charge outcome is always known.
    let status: OrderStatus = "PENDING_PAYMENT";
    const changes: { to: OrderStatus; at: Date; actor: string }[] = [{ to: status, at: plan.placedAt, actor: "customer" }];
    const moveTo = (to: OrderStatus, at: Date, actor: string) => {
      changes.push({ to, at, actor });
      status = to;
    };
    let paymentIntentId = ids.paymentIntent();
    rows.payments.push({
      id: ids.payment(),
      orderId,
      kind: "CHARGE",
      amountMinor: totalMinor,
      currency,
      status: plan.chargeFailure ? "FAILED" : "SUCCEEDED",
      stripeId: paymentIntentId,
      idempotencyKey: `order:${number}:charge`,
      failureCode: plan.chargeFailure ?? null,
      createdAt: plan.chargedAt,
      updatedAt: plan.chargedAt,
    });
    const paidAt = plan.chargeFailure ? plan.balancePaidAt : plan.chargedAt;
    const paid = paidAt !== undefined && paidAt <= now;
    if (paid && plan.chargeFailure) {
      paymentIntentId = ids.paymentIntent();
      rows.payments.push({
        id: ids.payment(),
        orderId,
        kind: "BALANCE",
        amountMinor: totalMinor,
        currency,
        status: "SUCCEEDED",
        stripeId: paymentIntentId,
        idempotencyKey: `order:${number}:balance`,
        createdAt: paidAt,
        updatedAt: paidAt,
      });
    }
    if (paid) moveTo("PROCESSING", paidAt, "stripe");

    let refundedMinor = 0;
    const refundTimes: Date[] = [];
    const cancelled = plan.cancellation && plan.cancellation.at <= now;
    if (plan.cancellation && cancelled) {
      moveTo("CANCELLED", plan.cancellation.at, plan.cancellation.actor);
      if (paid) {
        refundedMinor = totalMinor;
        refundTimes.push(plan.cancellation.at);
        rows.refunds.push({
          id: ids.refund(),
          orderId,
          amountMinor: totalMinor,
          currency,
          status: "SUCCEEDED",
          reason: "order_cancelled",
          stripeRefundId: ids.stripeRefund(),
          idempotencyKey: `order:${number}:cancel-refund`,
          createdAt: plan.cancellation.at,
          settledAt: earliest(shift(plan.cancellation.at, 4 * SECOND), now),
        });
      }
    }

    let deliveredAt: Date | undefined;
    if (plan.shipment && !cancelled && plan.shipment.shippedAt <= now) {
      const shipmentId = ids.shipment();
      const events = plan.shipment.events.filter((e) => e.at <= now);
      deliveredAt = events.find((e) => e.status === "DELIVERED")?.at;
      // Disjoint ranges per shipment keep tracking numbers unique without looking sequential.
      const serial = ++shipmentSerial * 37 + trackingRandom.int(0, 36);
      const trackingNumber =
        plan.shipment.carrier === "Parcelnet"
          ? `PN${String(4_100_000_000 + serial)}`
          : `SP${String(300_000_000 + serial)}${plan.address.snapshot.country}`;
      rows.shipments.push({
        id: shipmentId,
        orderId,
        carrier: plan.shipment.carrier,
        trackingNumber,
        status: events[events.length - 1].status,
        shippedAt: plan.shipment.shippedAt,
        expectedAt: plan.shipment.expectedAt,
        deliveredAt: deliveredAt ?? null,
      });
      for (const e of events) rows.shipmentEvents.push({ id: ids.shipmentEvent(), shipmentId, ...e });
      moveTo("SHIPPED", plan.shipment.shippedAt, "backoffice");
      if (deliveredAt) moveTo("DELIVERED", deliveredAt, "system");
    }

    const lineIds = plan.lines.map(() => ids.line());
    const returnedQuantities = plan.lines.map(() => 0);
    plan.returns.forEach((returnPlan, returnIndex) => {
      const returnNumber = returnNumbers.get(returnPlan);
      if (!returnNumber) return;
      if (!deliveredAt || returnPlan.requestedAt < deliveredAt) throw new Error(`demo return ${returnNumber} precedes the delivery of ${number}`);
      const returnId = ids.return();
      const steps = returnPlan.steps.filter((s) => s.at <= now);
      const returnStatus = steps.length ? steps[steps.length - 1].to : "REQUESTED";
      const valueMinor = returnValueMinor(plan.lines, returnPlan.lines);
      const paysForLabel =
        returnPlan.method === "LABEL" && returnPlan.resolution === "REFUND" && returnPlan.lines.every((l) => CUSTOMER_CHOICE_REASONS.has(l.reason));
      const feeMinor = paysForLabel ? RETURN_LABEL_FEE_MINOR[currency] : 0;
      const refundMinor = returnStatus === "DECLINED" ? 0 : valueMinor - feeMinor;
      rows.returns.push({
        id: returnId,
        number: returnNumber,
        orderId,
        userId: plan.customer.id,
        status: returnStatus,
        resolution: returnPlan.resolution,
        method: returnPlan.method,
        policyVersion: 1,
        refundMinor,
        feeMinor,
        currency,
        idempotencyKey: `order:${number}:return:${returnIndex + 1}`,
        createdAt: returnPlan.requestedAt,
      });
      for (const l of returnPlan.lines) {
        rows.returnLines.push({ id: ids.returnLine(), returnId, orderLineId: lineIds[l.lineIndex], quantity: l.quantity, reason: l.reason, note: l.note ?? null });
      }
      let from: ReturnStatus = "REQUESTED";
      rows.returnStatusChanges.push({ id: ids.returnStatusChange(), returnId, from: null, to: from, at: returnPlan.requestedAt, actor: "customer" });
      for (const s of steps) {
        rows.returnStatusChanges.push({ id: ids.returnStatusChange(), returnId, from, to: s.to, at: s.at, actor: s.actor, note: s.note ?? null });
        from = s.to;
      }
      const settledAt = steps[steps.length - 1]?.at;
      if (returnStatus === "REFUNDED" && settledAt) {
        refundedMinor += refundMinor;
        refundTimes.push(settledAt);
        rows.refunds.push({
          id: ids.refund(),
          orderId,
          returnId,
          amountMinor: refundMinor,
          currency,
          status: "SUCCEEDED",
          reason: "return",
          stripeRefundId: ids.stripeRefund(),
          idempotencyKey: `return:${returnNumber}:refund`,
          createdAt: settledAt,
          settledAt,
        });
      }
      if (returnStatus === "CREDITED" && settledAt) {
        rows.storeCredit.push({ id: ids.storeCredit(), userId: plan.customer.id, amountMinor: refundMinor, currency, reason: "return", returnId, orderId, createdAt: settledAt });
      }
      if (returnStatus === "REFUNDED" || returnStatus === "CREDITED") {
        for (const l of returnPlan.lines) returnedQuantities[l.lineIndex] += l.quantity;
      }
    });

    plan.lines.forEach((l, index) => {
      rows.orderLines.push({
        id: lineIds[index],
        orderId,
        variantId: l.variant.id,
        productName: l.variant.product.name,
        sku: l.variant.sku,
        category: l.variant.product.category,
        quantity: l.quantity,
        unitPriceMinor: l.unitPriceMinor,
        taxMinor: l.taxMinor,
        cancelledQuantity: status === "CANCELLED" ? l.quantity : 0,
        returnedQuantity: returnedQuantities[index],
      });
      if (status === "PROCESSING" || status === "PENDING_PAYMENT") reserved.set(l.variant.id, (reserved.get(l.variant.id) ?? 0) + l.quantity);
    });

    let previous: OrderStatus | null = null;
    for (const change of changes) {
      rows.orderStatusChanges.push({ id: ids.statusChange(), orderId, from: previous, ...change });
      previous = change.to;
    }

    const paidMinor = paid ? totalMinor : 0;
    const paymentStatus: PaymentStatus = !paid
      ? "FAILED"
      : refundedMinor === 0
        ? "PAID"
        : refundedMinor >= paidMinor
          ? "REFUNDED"
          : "PARTIALLY_REFUNDED";
    rows.orders.push({
      id: orderId,
      number,
      userId: plan.customer.id,
      status,
      paymentStatus,
      currency,
      subtotalMinor,
      shippingMinor,
      taxMinor,
      totalMinor,
      paidMinor,
      refundedMinor,
      balanceDueMinor: status === "PENDING_PAYMENT" ? totalMinor : 0,
      shippingAddress: plan.address.snapshot,
      stripePaymentIntentId: paymentIntentId,
      placedAt: plan.placedAt,
      promisedDeliveryAt: plan.promisedDeliveryAt,
      updatedAt: latest([...changes.map((c) => c.at), ...refundTimes]),
    });
  }

  const stockRandom = createRandom(deriveSeed(seed, "stock"));
  for (const p of catalogue.products) {
    rows.products.push({ id: p.id, name: p.name, category: p.category, finalSale: p.finalSale ?? false, hygiene: p.hygiene ?? false });
  }
  for (const v of catalogue.variants) {
    const held = reserved.get(v.id) ?? 0;
    // Stock counts what is on the shelf, including units held for unshipped orders.
    const available = stockRandom.chance(0.12) ? 0 : stockRandom.int(1, 50);
    // A variant row holds one price: the EUR list price. USD and GBP orders were priced from the
    // regional lists in regionalPrices(), which the schema has no place for.
    rows.variants.push({ id: v.id, productId: v.product.id, sku: v.sku, label: v.label, priceMinor: v.prices.EUR, currency: "EUR", stock: available + held, reserved: held });
  }
  return rows;
}
