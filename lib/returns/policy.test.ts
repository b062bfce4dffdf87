import { describe, expect, it } from "vitest";
import {
  allowedResolutions,
  DEFAULT_POLICY,
  describeRefusal,
  describeReturnCosts,
  evaluateLine,
  cardArrivalWithin,
  moneyArrival,
  offeredMethods,
  offeredReasons,
  policyRulesSchema,
  quoteReturn,
  REASON_LABEL,
  returnWindow,
  type LineFacts,
  type OrderFacts,
  type PolicyRules,
  type QuoteRequest,
} from "./policy";
import { endOfLocalDay, localCalendarDate, startOfLocalDay } from "@/lib/time/zoned-time";

const RULES = DEFAULT_POLICY.rules;
const DAY = 86_400_000;

function rulesWith(change: Partial<PolicyRules>): PolicyRules {
  return policyRulesSchema.parse({ ...structuredClone(RULES), ...change });
}

const DELIVERED_AT = new Date("2026-03-02T10:00:00Z");

const order = (over: Partial<OrderFacts> = {}): OrderFacts => ({
  number: "WM-300001",
  status: "DELIVERED",
  deliveredAt: DELIVERED_AT,
  country: "GB",
  currency: "GBP",
  refundableMinor: 1_000_000,
  ...over,
});

const line = (over: Partial<LineFacts> = {}): LineFacts => ({
  id: "line-tee",
  productName: "Everyday Organic Tee",
  variantLabel: "L / Black",
  category: "apparel",
  finalSale: false,
  hygiene: false,
  quantity: 2,
  cancelledQuantity: 0,
  returnedQuantity: 0,
  inOpenReturns: 0,
  cameAfterCancellation: null,
  unitPriceMinor: 2200,
  taxMinor: 880,
  exchangeOptions: [{ variantId: "var-tee-m", label: "M / White", available: 3 }],
  ...over,
});

const soon = new Date(DELIVERED_AT.getTime() + 5 * DAY);

function quote(over: Partial<QuoteRequest> = {}) {
  return quoteReturn(RULES, {
    order: order(),
    lines: [line()],
    customer: { recentReturns: 0 },
    selection: [{ lineId: "line-tee", quantity: 1, reason: "damaged" }],
    resolution: "REFUND",
    method: "DROP_OFF",
    now: soon,
    ...over,
  });
}

describe("the policy data", () => {
  it("version 1 is valid data and survives a JSON round trip (it is stored as JSON)", () => {
    expect(policyRulesSchema.parse(JSON.parse(JSON.stringify(RULES)))).toEqual(RULES);
  });

  it("rejects rules that are not data the engine understands", () => {
    expect(policyRulesSchema.safeParse({ ...RULES, windowDays: { default: -1, byCategory: {} } }).success).toBe(false);
    expect(policyRulesSchema.safeParse({ ...RULES, resolutions: { default: ["CASH"], byCategory: {} } }).success).toBe(false);
  });
});

describe("calendar days in a time zone", () => {
  it("finds the local date of an instant on either side of midnight", () => {
    expect(localCalendarDate(new Date("2026-03-02T23:30:00Z"), "Europe/London")).toEqual({ year: 2026, month: 3, day: 2 });
    expect(localCalendarDate(new Date("2026-03-02T23:30:00Z"), "Europe/Berlin")).toEqual({ year: 2026, month: 3, day: 3 });
    expect(localCalendarDate(new Date("2026-03-03T05:00:00Z"), "America/Los_Angeles")).toEqual({ year: 2026, month: 3, day: 2 });
  });

  it("finds local midnight across daylight-saving changes", () => {
    // London springs forward on 29 March 2026: midnight is still GMT, the next midnight is BST.
    expect(startOfLocalDay({ year: 2026, month: 3, day: 29 }, "Europe/London").toISOString()).toBe("2026-03-29T00:00:00.000Z");
    expect(startOfLocalDay({ year: 2026, month: 3, day: 30 }, "Europe/London").toISOString()).toBe("2026-03-29T23:00:00.000Z");
    expect(endOfLocalDay({ year: 2026, month: 11, day: 1 }, "America/Los_Angeles").toISOString()).toBe("2026-11-02T08:00:00.000Z");
  });
});

describe("the return window", () => {
  it("is counted in calendar days from the delivery date and ends at local midnight", () => {
    const { lastDay, closesAt } = returnWindow(RULES, DELIVERED_AT, "GB", "apparel");
    expect(lastDay).toEqual({ year: 2026, month: 4, day: 1 });
    // 1 April is in British Summer Time: the window closes at 23:00 UTC.
    expect(closesAt.toISOString()).toBe("2026-04-01T23:00:00.000Z");
  });

  it("is open on the last second of the last day and closed on the next", () => {
    const { closesAt } = returnWindow(RULES, DELIVERED_AT, "GB", "apparel");
    expect(evaluateLine(RULES, order(), line(), new Date(closesAt.getTime() - 1)).refusal).toBeNull();
    const closed = evaluateLine(RULES, order(), line(), closesAt);
    expect(closed.refusal).toEqual({ code: "window_closed", lastDay: { year: 2026, month: 4, day: 1 } });
    expect(describeRefusal(closed.refusal!)).toBe("The return window closed on 1 Apr 2026.");
  });

  it("counts from the delivery date where the customer lives, not in UTC", () => {
    // 23:30 UTC on 2 March is already 3 March in Berlin: a German customer's window ends a day later.
    const lateEvening = new Date("2026-03-02T23:30:00Z");
    expect(returnWindow(RULES, lateEvening, "GB", "apparel").lastDay).toEqual({ year: 2026, month: 4, day: 1 });
    expect(returnWindow(RULES, lateEvening, "DE", "apparel").lastDay).toEqual({ year: 2026, month: 4, day: 2 });
    // A country the policy does not list uses the policy's default zone.
    expect(returnWindow(RULES, lateEvening, "IE", "apparel").lastDay).toEqual({ year: 2026, month: 4, day: 1 });
  });

  it("can differ per category", () => {
    const rules = rulesWith({ windowDays: { default: 30, byCategory: { electronics: 14 } } });
    expect(returnWindow(rules, DELIVERED_AT, "GB", "electronics").lastDay).toEqual({ year: 2026, month: 3, day: 16 });
    const day20 = new Date(DELIVERED_AT.getTime() + 20 * DAY);
    expect(evaluateLine(rules, order(), line({ category: "electronics" }), day20).refusal?.code).toBe("window_closed");
    expect(evaluateLine(rules, order(), line(), day20).refusal).toBeNull();
  });

  it("can be set aside by an agent for one return", () => {
    const late = new Date(DELIVERED_AT.getTime() + 60 * DAY);
    // Open again with no deadline: the day that passed is not shown as one.
    expect(evaluateLine(RULES, order(), line(), late, new Set(["window_closed"]))).toMatchObject({ refusal: null, returnable: 2, lastDay: null });
  });
});

describe("which lines can be returned", () => {
  it("refuses final-sale and hygiene items, final sale first", () => {
    expect(evaluateLine(RULES, order(), line({ finalSale: true, category: "gift-cards" }), soon).refusal?.code).toBe("final_sale");
    expect(evaluateLine(RULES, order(), line({ hygiene: true, category: "beauty" }), soon).refusal?.code).toBe("hygiene");
    expect(describeRefusal({ code: "hygiene" })).toMatch(/hygiene/);
  });

  it("refuses non-returnable categories, and returns them when the policy lists none", () => {
    expect(evaluateLine(RULES, order(), line({ category: "gift-cards" }), soon).refusal?.code).toBe("non_returnable_category");
    expect(evaluateLine(rulesWith({ nonReturnableCategories: [] }), order(), line({ category: "gift-cards" }), soon).refusal).toBeNull();
  });

  it("lets an agent's override set aside a final-sale refusal, but only that one", () => {
    const giftCard = line({ finalSale: true, category: "gift-cards" });
    expect(evaluateLine(RULES, order(), giftCard, soon, new Set(["final_sale"])).refusal?.code).toBe("non_returnable_category");
    expect(evaluateLine(RULES, order(), giftCard, soon, new Set(["final_sale", "non_returnable_category"])).refusal).toBeNull();
  });

  it("offers cancelling instead while an order has not shipped", () => {
    const processing = evaluateLine(RULES, order({ status: "PROCESSING", deliveredAt: null }), line(), soon);
    expect(processing.refusal).toEqual({ code: "not_delivered", cancelInstead: true });
    expect(describeRefusal(processing.refusal!)).toMatch(/cancel it instead/);
    const shipped = evaluateLine(RULES, order({ status: "SHIPPED", deliveredAt: null }), line(), soon);
    expect(shipped.refusal).toEqual({ code: "not_delivered", cancelInstead: false });
  });

  it("refuses cancelled items", () => {
    expect(evaluateLine(RULES, order({ status: "CANCELLED" }), line(), soon).refusal?.code).toBe("order_cancelled");
    expect(evaluateLine(RULES, order(), line({ cancelledQuantity: 2 }), soon).refusal?.code).toBe("order_cancelled");
  });

  it("counts what was already returned and what is in open returns", () => {
    expect(evaluateLine(RULES, order(), line({ returnedQuantity: 1 }), soon).returnable).toBe(1);
    expect(evaluateLine(RULES, order(), line({ returnedQuantity: 2 }), soon).refusal?.code).toBe("already_returned");
    expect(evaluateLine(RULES, order(), line({ returnedQuantity: 1, inOpenReturns: 1 }), soon).refusal?.code).toBe("in_open_return");
    expect(evaluateLine(RULES, order(), line({ cancelledQuantity: 1, inOpenReturns: 0 }), soon).returnable).toBe(1);
  });

  it("offers no more what came to us in the parcel of a cancelled return, and says where it is", () => {
    const arrived = evaluateLine(RULES, order(), line({ cameAfterCancellation: { quantity: 2, returnNumber: "RT-100042", arrived: true } }), soon);
    expect(arrived.returnable).toBe(0);
    expect(describeRefusal(arrived.refusal!)).toBe("This item is already with us: the parcel of return RT-100042 reached our warehouse after that return was cancelled. One of our team will contact you about it.");
    const onItsWay = evaluateLine(RULES, order(), line({ cameAfterCancellation: { quantity: 2, returnNumber: "RT-100042", arrived: false } }), soon);
    expect(describeRefusal(onItsWay.refusal!)).toBe("This item is already on its way to us: the carrier has the parcel of return RT-100042, which was cancelled. One of our team will contact you about it.");
    // The other unit of the line is still the customer's to return.
    expect(evaluateLine(RULES, order(), line({ cameAfterCancellation: { quantity: 1, returnNumber: "RT-100042", arrived: true } }), soon)).toMatchObject({ returnable: 1, refusal: null });
  });
});

describe("what a return comes to", () => {
  it("is the price plus the line's share of the tax", () => {
    const result = quote();
    expect(result).toEqual({ ok: true, quote: { valueMinor: 2640, fees: [], feeMinor: 0, bonusMinor: 0, refundMinor: 2640, limitedByEarlierRefunds: false, review: [], instantRefund: false } });
  });

  it("charges the label only when the customer simply changed their mind and wants a refund", () => {
    const changedMind = quote({ selection: [{ lineId: "line-tee", quantity: 1, reason: "changed_mind" }], method: "LABEL" });
    expect(changedMind).toMatchObject({ ok: true, quote: { feeMinor: 295, refundMinor: 2345, fees: [{ code: "return_shipping", amountMinor: 295 }] } });
    // Damaged: our fault, free label.
    expect(quote({ method: "LABEL" })).toMatchObject({ ok: true, quote: { feeMinor: 0 } });
    // A drop-off costs nothing; store credit neither.
    expect(quote({ selection: [{ lineId: "line-tee", quantity: 1, reason: "changed_mind" }], method: "DROP_OFF" })).toMatchObject({ ok: true, quote: { feeMinor: 0 } });
    expect(quote({ selection: [{ lineId: "line-tee", quantity: 1, reason: "changed_mind" }], method: "LABEL", resolution: "STORE_CREDIT" })).toMatchObject({ ok: true, quote: { feeMinor: 0 } });
  });

  it("charges a fixed fee in the order's currency", () => {
    const usd = quote({ order: order({ currency: "USD", country: "US" }), selection: [{ lineId: "line-tee", quantity: 1, reason: "wrong_size" }], method: "LABEL" });
    expect(usd).toMatchObject({ ok: true, quote: { feeMinor: 595 } });
  });

  it("charges a percentage fee on the lines of its categories, and never more than the items are worth", () => {
    const rules = rulesWith({
      fees: [{ code: "restocking", label: "Restocking", amount: { kind: "percent", percent: 10 }, when: { categories: ["electronics"] } }],
    });
    const lines = [line(), line({ id: "line-cable", category: "electronics", quantity: 1, unitPriceMinor: 1500, taxMinor: 300 })];
    const result = quoteReturn(rules, {
      order: order(), lines, customer: { recentReturns: 0 }, now: soon, resolution: "REFUND", method: "DROP_OFF",
      selection: [{ lineId: "line-tee", quantity: 1, reason: "changed_mind" }, { lineId: "line-cable", quantity: 1, reason: "changed_mind" }],
    });
    expect(result).toMatchObject({ ok: true, quote: { valueMinor: 4440, feeMinor: 180, refundMinor: 4260 } });
    const huge = rulesWith({ fees: [{ code: "flat", label: "Flat", amount: { kind: "fixed", minor: { GBP: 99_999 } }, when: {} }] });
    expect(quoteReturn(huge, { order: order(), lines: [line()], customer: { recentReturns: 0 }, now: soon, resolution: "REFUND", method: "DROP_OFF", selection: [{ lineId: "line-tee", quantity: 1, reason: "changed_mind" }] }))
      .toMatchObject({ ok: true, quote: { feeMinor: 2640, refundMinor: 0 } });
  });

  it("lets an agent waive a fee", () => {
    const waived = quote({ selection: [{ lineId: "line-tee", quantity: 1, reason: "changed_mind" }], method: "LABEL", waived: new Set(["fee:return_shipping"]) });
    expect(waived).toMatchObject({ ok: true, quote: { feeMinor: 0, refundMinor: 2640 } });
  });

  it("never gives back more than is left of what was paid", () => {
    expect(quote({ order: order({ refundableMinor: 1000 }) })).toMatchObject({ ok: true, quote: { valueMinor: 2640, refundMinor: 1000, limitedByEarlierRefunds: true } });
    expect(quote()).toMatchObject({ ok: true, quote: { limitedByEarlierRefunds: false } });
  });

  it("never says an exchange is limited by earlier refunds: it refunds nothing", () => {
    const exchange = quote({ resolution: "EXCHANGE", selection: [{ lineId: "line-tee", quantity: 1, reason: "wrong_size", exchangeVariantId: "var-tee-m" }] });
    expect(exchange).toMatchObject({ ok: true, quote: { refundMinor: 0, limitedByEarlierRefunds: false } });
  });

  it("describes what a return costs from the policy's own fees", () => {
    const money = (minor: number) => `£${(minor / 100).toFixed(2)}`;
    expect(describeReturnCosts(RULES, "GBP", money)).toBe(
      "Return shipping label: £2.95 when you print a label for a refund if the reason is “It does not fit” or “I changed my mind”. Otherwise sending it back costs nothing.",
    );
    expect(describeReturnCosts(rulesWith({ fees: [] }), "GBP", money)).toBe("Sending it back costs nothing.");
  });

  it("adds the store-credit bonus the policy offers", () => {
    const rules = rulesWith({ storeCreditBonusPercent: 10 });
    const base = { order: order(), lines: [line()], customer: { recentReturns: 0 }, now: soon, method: "DROP_OFF" as const, selection: [{ lineId: "line-tee", quantity: 1, reason: "damaged" as const }] };
    expect(quoteReturn(rules, { ...base, resolution: "STORE_CREDIT" })).toMatchObject({ ok: true, quote: { refundMinor: 2640, bonusMinor: 264 } });
    expect(quoteReturn(rules, { ...base, resolution: "REFUND" })).toMatchObject({ ok: true, quote: { bonusMinor: 0 } });
  });

  it("moves no money on an exchange", () => {
    const exchange = quote({ resolution: "EXCHANGE", method: "LABEL", selection: [{ lineId: "line-tee", quantity: 1, reason: "wrong_size", exchangeVariantId: "var-tee-m" }] });
    expect(exchange).toMatchObject({ ok: true, quote: { refundMinor: 0, feeMinor: 0, fees: [] } });
  });

  it("refunds at once only up to the policy's instant-refund limit", () => {
    const rules = rulesWith({ refund: { instantUpToMinor: { GBP: 3000 }, cardArrivalBusinessDays: { min: 5, max: 10 } } });
    const request = { order: order(), lines: [line()], customer: { recentReturns: 0 }, now: soon, method: "DROP_OFF" as const, resolution: "REFUND" as const };
    expect(quoteReturn(rules, { ...request, selection: [{ lineId: "line-tee", quantity: 1, reason: "damaged" }] })).toMatchObject({ ok: true, quote: { instantRefund: true } });
    expect(quoteReturn(rules, { ...request, selection: [{ lineId: "line-tee", quantity: 2, reason: "damaged" }] })).toMatchObject({ ok: true, quote: { instantRefund: false } });
    expect(moneyArrival(rules, "REFUND", true)).toMatch(/right away/);
    expect(moneyArrival(rules, "REFUND", false)).toMatch(/5–10 working days/);
  });

  it("says the card arrival time the policy sets, wherever a refund is promised", () => {
    const rules = rulesWith({ refund: { instantUpToMinor: {}, cardArrivalBusinessDays: { min: 2, max: 4 } } });
    expect(cardArrivalWithin(rules.refund.cardArrivalBusinessDays)).toBe("within 2–4 working days");
    expect(moneyArrival(rules, "REFUND", true)).toBe("We refund your original payment method right away; your bank shows it within 2–4 working days.");
  });
});

describe("review by an agent", () => {
  it("holds returns for the reasons the policy names", () => {
    const rules = rulesWith({ review: { ...RULES.review, reasons: ["not_as_described"] } });
    const base = { order: order(), lines: [line()], customer: { recentReturns: 0 }, now: soon, method: "DROP_OFF" as const, resolution: "REFUND" as const };
    expect(quoteReturn(rules, { ...base, selection: [{ lineId: "line-tee", quantity: 1, reason: "not_as_described" }] })).toMatchObject({ ok: true, quote: { review: ["review_reason"] } });
    expect(quoteReturn(rules, { ...base, selection: [{ lineId: "line-tee", quantity: 1, reason: "damaged" }] })).toMatchObject({ ok: true, quote: { review: [] } });
  });

  it("holds returns worth the review threshold or more, at the boundary too", () => {
    const pricey = (unitPriceMinor: number) => line({ unitPriceMinor, taxMinor: 0, quantity: 1 });
    expect(quote({ lines: [pricey(20_000)] })).toMatchObject({ ok: true, quote: { review: ["high_value"] } });
    expect(quote({ lines: [pricey(19_999)] })).toMatchObject({ ok: true, quote: { review: [] } });
  });

  it("holds returns of a customer with unusually many recent returns, unless an agent waived it", () => {
    expect(quote({ customer: { recentReturns: 5 } })).toMatchObject({ ok: true, quote: { review: ["frequent_returner"] } });
    expect(quote({ customer: { recentReturns: 4 } })).toMatchObject({ ok: true, quote: { review: [] } });
    expect(quote({ customer: { recentReturns: 9 }, waived: new Set(["review"]) })).toMatchObject({ ok: true, quote: { review: [] } });
  });
});

describe("resolutions and methods", () => {
  it("offers only the resolutions every chosen line's category allows", () => {
    const rules = rulesWith({ resolutions: { default: ["REFUND", "STORE_CREDIT", "EXCHANGE"], byCategory: { home: ["STORE_CREDIT"] } } });
    const lines = [line(), line({ id: "line-mug", category: "home", exchangeOptions: [] })];
    expect(allowedResolutions(rules, lines, [{ lineId: "line-tee", quantity: 1 }])).toEqual(["REFUND", "STORE_CREDIT", "EXCHANGE"]);
    expect(allowedResolutions(rules, lines, [{ lineId: "line-tee", quantity: 1 }, { lineId: "line-mug", quantity: 1 }])).toEqual(["STORE_CREDIT"]);
  });

  it("offers an exchange only when another variant has the stock", () => {
    expect(allowedResolutions(RULES, [line()], [{ lineId: "line-tee", quantity: 2 }])).toContain("EXCHANGE");
    expect(allowedResolutions(RULES, [line({ exchangeOptions: [{ variantId: "v", label: "M", available: 1 }] })], [{ lineId: "line-tee", quantity: 2 }])).not.toContain("EXCHANGE");
    expect(allowedResolutions(RULES, [line({ exchangeOptions: [] })], [{ lineId: "line-tee", quantity: 1 }])).toEqual(["REFUND", "STORE_CREDIT"]);
  });

  it("offers pickup only where the policy says", () => {
    expect(offeredMethods(RULES, "GB")).toEqual(["DROP_OFF", "LABEL", "PICKUP"]);
    expect(offeredMethods(RULES, "US")).toEqual(["DROP_OFF", "LABEL"]);
  });
});

describe("requests the policy refuses", () => {
  it("names the step and the reason of each bad request", () => {
    expect(quote({ selection: [] })).toEqual({ ok: false, step: "items", code: "no_items" });
    expect(quote({ selection: [{ lineId: "someone-elses-line", quantity: 1, reason: "damaged" }] })).toEqual({ ok: false, step: "items", code: "unknown_line" });
    expect(quote({ selection: [{ lineId: "line-tee", quantity: 3, reason: "damaged" }] })).toEqual({ ok: false, step: "items", code: "quantity_too_high" });
    expect(quote({ selection: [{ lineId: "line-tee", quantity: -1, reason: "damaged" }, { lineId: "line-tee", quantity: 1, reason: "damaged" }] })).toEqual({ ok: false, step: "items", code: "quantity_too_high" });
    expect(quote({ selection: [{ lineId: "line-tee", quantity: 1, reason: "damaged" }, { lineId: "line-tee", quantity: 1, reason: "damaged" }] })).toEqual({ ok: false, step: "items", code: "duplicate_line" });
    expect(quote({ now: new Date(DELIVERED_AT.getTime() + 45 * DAY) })).toEqual({ ok: false, step: "items", code: "line_not_returnable" });
    expect(quote({ lines: [line({ hygiene: true })] })).toEqual({ ok: false, step: "items", code: "line_not_returnable" });
    expect(quote({ order: order({ country: "US", currency: "USD" }), method: "PICKUP" })).toEqual({ ok: false, step: "method", code: "method_not_offered" });
  });

  it("offers 'It does not fit' only for what comes in sizes, and refuses it for anything else however the request was made", () => {
    expect(offeredReasons(RULES, "apparel").map((r) => REASON_LABEL[r])).toContain("It does not fit");
    expect(offeredReasons(RULES, "shoes")).toContain("wrong_size");
    expect(offeredReasons(RULES, "electronics").map((r) => REASON_LABEL[r])).toEqual(["It arrived damaged or faulty", "It is not as described", "I changed my mind", "I received the wrong item"]);
    const lamp = line({ productName: "Dimmable LED Desk Lamp", category: "electronics" });
    expect(quote({ lines: [lamp], selection: [{ lineId: "line-tee", quantity: 1, reason: "wrong_size" }] })).toEqual({ ok: false, step: "items", code: "reason_not_offered" });
    expect(quote({ lines: [lamp], selection: [{ lineId: "line-tee", quantity: 1, reason: "changed_mind" }] })).toMatchObject({ ok: true });
    // A version stored before reasons were policy data is read with version 1's lists.
    const { reasons: _, ...older } = structuredClone(RULES);
    expect(policyRulesSchema.parse(older).reasons).toEqual(RULES.reasons);
  });

  it("refuses a resolution the policy does not allow, however the request was made", () => {
    const rules = rulesWith({ resolutions: { default: ["REFUND", "STORE_CREDIT"], byCategory: {} } });
    const request = { order: order(), lines: [line()], customer: { recentReturns: 0 }, now: soon, method: "DROP_OFF" as const, selection: [{ lineId: "line-tee", quantity: 1, reason: "damaged" as const, exchangeVariantId: "var-tee-m" }] };
    expect(quoteReturn(rules, { ...request, resolution: "EXCHANGE" })).toEqual({ ok: false, step: "resolution", code: "resolution_not_allowed" });
    // A product that comes in one variant only cannot be exchanged, whatever the stock.
    expect(quote({ lines: [line({ exchangeOptions: [] })], resolution: "EXCHANGE", selection: [{ lineId: "line-tee", quantity: 1, reason: "wrong_size", exchangeVariantId: "var-tee-m" }] }))
      .toEqual({ ok: false, step: "resolution", code: "resolution_not_allowed" });
  });

  it("refuses an exchange for a variant that is not another variant of the product, or sold out", () => {
    const exchange = (exchangeVariantId: string | null, available = 3) =>
      quote({ lines: [line({ exchangeOptions: [{ variantId: "var-tee-m", label: "M / White", available }] })], resolution: "EXCHANGE", selection: [{ lineId: "line-tee", quantity: 1, reason: "wrong_size", exchangeVariantId }] });
    expect(exchange("var-some-mug")).toEqual({ ok: false, step: "resolution", code: "exchange_variant_invalid" });
    expect(exchange(null)).toEqual({ ok: false, step: "resolution", code: "exchange_variant_invalid" });
    expect(exchange("var-tee-m", 0)).toEqual({ ok: false, step: "resolution", code: "exchange_out_of_stock" });
    expect(exchange("var-tee-m")).toMatchObject({ ok: true });
  });
});
