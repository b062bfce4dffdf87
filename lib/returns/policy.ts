// The return policy engine. Rules are data (PolicyRules, stored per version in ReturnPolicyVersion);
// this module only knows kinds of rule, never a particular category, reason or amount, so a new
// policy is a new row, not a code change. Framework-free: the server decides with it and the
// return wizard uses the same functions in the browser to show the outcome before submitting.
import { z } from "zod";
import { formatCalendarDate } from "@/lib/format/date";
import { addCalendarDays, endOfLocalDay, localCalendarDate, type CalendarDate } from "@/lib/time/zoned-time";

export const RETURN_REASONS = ["wrong_size", "damaged", "not_as_described", "changed_mind", "wrong_item"] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

export const REASON_LABEL: Record<ReturnReason, string> = {
  wrong_size: "It does not fit",
  damaged: "It arrived damaged or faulty",
  not_as_described: "It is not as described",
  changed_mind: "I changed my mind",
  wrong_item: "I received the wrong item",
};

export const RESOLUTIONS = ["REFUND", "STORE_CREDIT", "EXCHANGE"] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const METHODS = ["DROP_OFF", "LABEL", "PICKUP"] as const;
export type Method = (typeof METHODS)[number];

const PRODUCT_FLAGS = ["finalSale", "hygiene"] as const;
type ProductFlag = (typeof PRODUCT_FLAGS)[number];

// Only what comes in sizes can "not fit".
const REASONS_BY_CATEGORY = {
  default: RETURN_REASONS.filter((reason) => reason !== "wrong_size"),
  byCategory: { apparel: [...RETURN_REASONS], shoes: [...RETURN_REASONS] },
};

const minorPerCurrency = z.record(z.string().length(3), z.number().int().min(0));

const feeRuleSchema = z.object({
  /** Stable id: an agent's override names it as `fee:<code>`. */
  code: z.string().regex(/^[a-z_]+$/),
  label: z.string().min(1),
  amount: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("fixed"), minor: minorPerCurrency }),
    // Of the value of the lines the rule applies to (e.g. restocking of opened electronics).
    z.object({ kind: z.literal("percent"), percent: z.number().min(0).max(100) }),
  ]),
  when: z.object({
    methods: z.array(z.enum(METHODS)).optional(),
    resolutions: z.array(z.enum(RESOLUTIONS)).optional(),
    categories: z.array(z.string()).optional(),
    /** Applies only when every chosen line's reason is one of these (the customer's own choice). */
    allReasonsIn: z.array(z.enum(RETURN_REASONS)).optional(),
  }),
});

export const policyRulesSchema = z.object({
  /** Days are counted in the customer's country's zone; countries not listed use `timeZone`. */
  timeZone: z.string().min(1),
  timeZoneByCountry: z.record(z.string(), z.string()),
  windowDays: z.object({ default: z.number().int().min(0), byCategory: z.record(z.string(), z.number().int().min(0)) }),
  nonReturnableFlags: z.array(z.enum(PRODUCT_FLAGS)),
  nonReturnableCategories: z.array(z.string()),
  resolutions: z.object({ default: z.array(z.enum(RESOLUTIONS)).min(1), byCategory: z.record(z.string(), z.array(z.enum(RESOLUTIONS))) }),
  storeCreditBonusPercent: z.number().min(0).max(100),
  fees: z.array(feeRuleSchema),
  review: z.object({
    reasons: z.array(z.enum(RETURN_REASONS)),
    fromValueMinor: minorPerCurrency,
    frequentReturns: z.object({ count: z.number().int().min(1), withinDays: z.number().int().min(1) }),
  }),
  refund: z.object({
    /** Refunds up to this value go back at once instead of when the parcel is received. */
    instantUpToMinor: minorPerCurrency,
    cardArrivalBusinessDays: z.object({ min: z.number().int().min(0), max: z.number().int().min(0) }),
  }),
  /** How long the customer has to send the items once the return is submitted (its message gives the date). Versions published before it existed meant 14. */
  sendBackWithinDays: z.number().int().min(1).max(90).default(14),
  /** Ways to send a return back; `countries` limits one to where it is offered. */
  methods: z.array(z.object({ method: z.enum(METHODS), countries: z.array(z.string().length(2)).optional() })).min(1),
  /** Reasons for which the customer is asked for a photo. */
  photoReasons: z.array(z.enum(RETURN_REASONS)),
  /**
   * Reasons offered for an item, by its category; `default` for any other. Versions published
   * before it existed offered every reason for everything ("It does not fit" for a lamp), and are
   * read with version 1's lists: which reasons make sense for a product is no term of a return.
   */
  reasons: z.object({ default: z.array(z.enum(RETURN_REASONS)).min(1), byCategory: z.record(z.string(), z.array(z.enum(RETURN_REASONS)).min(1)) }).default(() => REASONS_BY_CATEGORY),
});

export type PolicyRules = z.infer<typeof policyRulesSchema>;
export type FeeRule = z.infer<typeof feeRuleSchema>;
export type Policy = { version: number; rules: PolicyRules };

/**
 * Version 1: the policy the demo data's returns were judged by (30 days, final-sale and hygiene
 * items excluded, a paid label when the customer simply changed their mind, review from 200.00).
 */
export const DEFAULT_POLICY: Policy = {
  version: 1,
  rules: {
    timeZone: "Europe/London",
    // The westernmost mainland zone of a country, so no customer loses hours of their window.
    timeZoneByCountry: { GB: "Europe/London", US: "America/Los_Angeles", DE: "Europe/Berlin", FR: "Europe/Paris", NL: "Europe/Amsterdam" },
    windowDays: { default: 30, byCategory: {} },
    nonReturnableFlags: ["finalSale", "hygiene"],
    nonReturnableCategories: ["gift-cards"],
    resolutions: { default: ["REFUND", "STORE_CREDIT", "EXCHANGE"], byCategory: {} },
    storeCreditBonusPercent: 0,
    fees: [
      {
        code: "return_shipping",
        label: "Return shipping label",
        amount: { kind: "fixed", minor: { USD: 595, GBP: 295, EUR: 395 } },
        when: { methods: ["LABEL"], resolutions: ["REFUND"], allReasonsIn: ["wrong_size", "changed_mind"] },
      },
    ],
    review: { reasons: [], fromValueMinor: { USD: 20_000, GBP: 20_000, EUR: 20_000 }, frequentReturns: { count: 5, withinDays: 90 } },
    refund: { instantUpToMinor: {}, cardArrivalBusinessDays: { min: 5, max: 10 } },
    sendBackWithinDays: 14,
    methods: [{ method: "DROP_OFF" }, { method: "LABEL" }, { method: "PICKUP", countries: ["GB"] }],
    photoReasons: ["damaged", "wrong_item"],
    reasons: REASONS_BY_CATEGORY,
  },
};

// ---------------------------------------------------------------- facts

export type OrderFacts = {
  number: string;
  status: "PENDING_PAYMENT" | "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED";
  deliveredAt: Date | null;
  /** ISO 3166 alpha-2 of the delivery address. */
  country: string;
  currency: string;
  /** What can still go back to the customer: paid, minus refunds and other returns' amounts. */
  refundableMinor: number;
};

export type ExchangeOption = { variantId: string; label: string; available: number };

export type LineFacts = {
  id: string;
  productName: string;
  variantLabel: string;
  category: string;
  finalSale: boolean;
  hygiene: boolean;
  quantity: number;
  cancelledQuantity: number;
  returnedQuantity: number;
  /** Units already in returns that are still open. */
  inOpenReturns: number;
  /**
   * Units of cancelled returns whose parcel came to us all the same (on its way, or at the
   * warehouse), with the latest such return: they are not the customer's to send again, and an
   * agent's case sorts them out.
   */
  cameAfterCancellation: { quantity: number; returnNumber: string; arrived: boolean } | null;
  unitPriceMinor: number;
  taxMinor: number;
  /** Other variants of the same product, with what is free to sell. */
  exchangeOptions: ExchangeOption[];
};

export type CustomerFacts = { recentReturns: number };

/** Rules an agent set aside for this return: refusal codes, `fee:<code>` or `review`. */
export type Waivers = ReadonlySet<string>;
const NO_WAIVERS: Waivers = new Set();

// ---------------------------------------------------------------- eligibility

export type RefusalCode =
  | "order_cancelled"
  | "not_delivered"
  | "final_sale"
  | "hygiene"
  | "non_returnable_category"
  | "window_closed"
  | "already_returned"
  | "in_open_return"
  | "came_after_cancellation";

export const OVERRIDABLE_REFUSALS: readonly RefusalCode[] = ["final_sale", "hygiene", "non_returnable_category", "window_closed"];

export type Refusal = { code: RefusalCode; lastDay?: CalendarDate; cancelInstead?: boolean; cancelledReturn?: { returnNumber: string; arrived: boolean } };

export type LineEligibility = {
  lineId: string;
  /** How many units can be returned now (0 when refused). */
  returnable: number;
  refusal: Refusal | null;
  /** The last day of the return window (in the customer's zone), once delivered; none once an agent set a closed window aside. */
  lastDay: CalendarDate | null;
};

const FLAG_REFUSAL: Record<ProductFlag, RefusalCode> = { finalSale: "final_sale", hygiene: "hygiene" };

export function timeZoneFor(rules: PolicyRules, country: string): string {
  return rules.timeZoneByCountry[country] ?? rules.timeZone;
}

export function windowDaysFor(rules: PolicyRules, category: string): number {
  return rules.windowDays.byCategory[category] ?? rules.windowDays.default;
}

/** The window runs to the end of the `windowDays`-th calendar day after delivery, in the customer's zone. */
export function returnWindow(rules: PolicyRules, deliveredAt: Date, country: string, category: string): { lastDay: CalendarDate; closesAt: Date } {
  const zone = timeZoneFor(rules, country);
  const lastDay = addCalendarDays(localCalendarDate(deliveredAt, zone), windowDaysFor(rules, category));
  return { lastDay, closesAt: endOfLocalDay(lastDay, zone) };
}

export function evaluateLine(rules: PolicyRules, order: OrderFacts, line: LineFacts, now: Date, waived: Waivers = NO_WAIVERS): LineEligibility {
  const refuse = (refusal: Refusal, lastDay: CalendarDate | null = null): LineEligibility => ({ lineId: line.id, returnable: 0, refusal, lastDay });
  if (order.status === "CANCELLED" || line.cancelledQuantity >= line.quantity) return refuse({ code: "order_cancelled" });
  if (order.status !== "DELIVERED" || !order.deliveredAt) {
    return refuse({ code: "not_delivered", cancelInstead: order.status === "PENDING_PAYMENT" || order.status === "PROCESSING" });
  }
  const { lastDay, closesAt } = returnWindow(rules, order.deliveredAt, order.country, line.category);
  for (const flag of rules.nonReturnableFlags) {
    const code = FLAG_REFUSAL[flag];
    if (line[flag] && !waived.has(code)) return refuse({ code }, lastDay);
  }
  if (rules.nonReturnableCategories.includes(line.category) && !waived.has("non_returnable_category")) return refuse({ code: "non_returnable_category" }, lastDay);
  const closed = now.getTime() >= closesAt.getTime();
  if (closed && !waived.has("window_closed")) return refuse({ code: "window_closed", lastDay }, lastDay);
  const kept = line.quantity - line.cancelledQuantity - line.returnedQuantity;
  if (kept <= 0) return refuse({ code: "already_returned" }, lastDay);
  const came = line.cameAfterCancellation;
  const returnable = kept - line.inOpenReturns - (came?.quantity ?? 0);
  if (returnable <= 0) {
    return refuse(came ? { code: "came_after_cancellation", cancelledReturn: { returnNumber: came.returnNumber, arrived: came.arrived } } : { code: "in_open_return" }, lastDay);
  }
  // Open again by an agent's decision: the day that passed is no deadline to show.
  return { lineId: line.id, returnable, refusal: null, lastDay: closed ? null : lastDay };
}

export function describeRefusal(refusal: Refusal): string {
  switch (refusal.code) {
    case "order_cancelled":
      return "This item was cancelled, so there is nothing to return.";
    case "not_delivered":
      return refusal.cancelInstead
        ? "This item has not shipped yet, so it cannot be returned — you can cancel it instead."
        : "This item has not been delivered yet. You can return it once it arrives.";
    case "final_sale":
      return "This item was sold as final sale and cannot be returned.";
    case "hygiene":
      return "For hygiene reasons this item cannot be returned once delivered.";
    case "non_returnable_category":
      return "Items of this kind cannot be returned.";
    case "window_closed":
      return `The return window closed on ${refusal.lastDay ? formatCalendarDate(refusal.lastDay) : "its last day"}.`;
    case "already_returned":
      return "This item has already been returned.";
    case "in_open_return":
      return "This item is already in a return that is in progress.";
    case "came_after_cancellation": {
      const { returnNumber, arrived } = refusal.cancelledReturn!;
      return arrived
        ? `This item is already with us: the parcel of return ${returnNumber} reached our warehouse after that return was cancelled. One of our team will contact you about it.`
        : `This item is already on its way to us: the carrier has the parcel of return ${returnNumber}, which was cancelled. One of our team will contact you about it.`;
    }
  }
}


// ---------------------------------------------------------------- the outcome of a return

export type SelectedLine = { lineId: string; quantity: number; reason: ReturnReason; exchangeVariantId?: string | null };

export type QuoteRequest = {
  order: OrderFacts;
  lines: LineFacts[];
  customer: CustomerFacts;
  selection: SelectedLine[];
  resolution: Resolution;
  method: Method;
  now: Date;
  waived?: Waivers;
};

export type AppliedFee = { code: string; label: string; amountMinor: number };

export type ReviewReason = "review_reason" | "high_value" | "frequent_returner";

export type Quote = {
  /** What the chosen items are worth: price plus their share of the tax. */
  valueMinor: number;
  fees: AppliedFee[];
  feeMinor: number;
  /** Extra store credit on top of the refund value (store credit only). */
  bonusMinor: number;
  /** What goes back to the card or into store credit (without the bonus). */
  refundMinor: number;
  /** The refund is less than the items are worth after fees because part of the order was already refunded (never for an exchange, which refunds nothing). */
  limitedByEarlierRefunds: boolean;
  review: ReviewReason[];
  /** A refund that goes back at once rather than when the parcel is received. */
  instantRefund: boolean;
};

export type QuoteProblem = { step: "items" | "resolution" | "method"; code: QuoteProblemCode };
export type QuoteProblemCode =
  | "no_items"
  | "unknown_line"
  | "duplicate_line"
  | "line_not_returnable"
  | "quantity_too_high"
  | "reason_not_offered"
  | "resolution_not_allowed"
  | "exchange_variant_invalid"
  | "exchange_out_of_stock"
  | "method_not_offered";

export type QuoteResult = { ok: true; quote: Quote } | ({ ok: false } & QuoteProblem);

export function lineValueMinor(line: Pick<LineFacts, "unitPriceMinor" | "taxMinor" | "quantity">, quantity: number): number {
  return line.unitPriceMinor * quantity + Math.round((line.taxMinor * quantity) / line.quantity);
}

/** Resolutions every chosen line's category allows; exchange also needs another variant in stock for each. */
export function allowedResolutions(rules: PolicyRules, lines: LineFacts[], selection: Pick<SelectedLine, "lineId" | "quantity">[]): Resolution[] {
  const chosen = selection.map((s) => ({ s, line: lines.find((l) => l.id === s.lineId) })).filter((c): c is { s: (typeof selection)[number]; line: LineFacts } => c.line !== undefined);
  if (chosen.length === 0) return [];
  return RESOLUTIONS.filter((resolution) =>
    chosen.every(({ s, line }) => {
      const byCategory = rules.resolutions.byCategory[line.category] ?? rules.resolutions.default;
      if (!byCategory.includes(resolution)) return false;
      return resolution !== "EXCHANGE" || line.exchangeOptions.some((o) => o.available >= s.quantity);
    }),
  );
}

/** The reasons the return form offers for an item of `category`, in the order it lists them. */
export function offeredReasons(rules: PolicyRules, category: string): readonly ReturnReason[] {
  return rules.reasons.byCategory[category] ?? rules.reasons.default;
}

export function offeredMethods(rules: PolicyRules, country: string): Method[] {
  return rules.methods.filter((m) => !m.countries || m.countries.includes(country)).map((m) => m.method);
}

/** What the fees are computed from: the chosen items with their reasons, and the choices made. */
export type FeeRequest = {
  currency: string;
  resolution: Resolution;
  method: Method;
  items: { line: Pick<LineFacts, "category" | "unitPriceMinor" | "taxMinor" | "quantity">; quantity: number; reason: ReturnReason }[];
};

function feeApplies(fee: FeeRule, request: FeeRequest): boolean {
  const { when } = fee;
  if (when.methods && !when.methods.includes(request.method)) return false;
  if (when.resolutions && !when.resolutions.includes(request.resolution)) return false;
  if (when.categories && !request.items.some((i) => when.categories!.includes(i.line.category))) return false;
  if (when.allReasonsIn && !request.items.every((i) => when.allReasonsIn!.includes(i.reason))) return false;
  return true;
}

function feeAmount(fee: FeeRule, request: FeeRequest): number {
  if (fee.amount.kind === "fixed") return fee.amount.minor[request.currency] ?? 0;
  const base = request.items
    .filter((i) => !fee.when.categories || fee.when.categories.includes(i.line.category))
    .reduce((sum, i) => sum + lineValueMinor(i.line, i.quantity), 0);
  return Math.round((base * fee.amount.percent) / 100);
}

/** The fees the policy charges for a return, without those an agent waived. An exchange moves no money, so it has none. */
export function feesFor(rules: PolicyRules, request: FeeRequest, waived: Waivers = NO_WAIVERS): AppliedFee[] {
  if (request.resolution === "EXCHANGE") return [];
  return rules.fees
    .filter((fee) => !waived.has(`fee:${fee.code}`) && feeApplies(fee, request))
    .map((fee) => ({ code: fee.code, label: fee.label, amountMinor: feeAmount(fee, request) }))
    .filter((fee) => fee.amountMinor > 0);
}

/**
 * What a return would come to, or the first thing wrong with the request (checked in the order
 * the customer made the choices). Never trusts the selection: everything is checked again here.
 */
export function quoteReturn(rules: PolicyRules, request: QuoteRequest): QuoteResult {
  const waived = request.waived ?? NO_WAIVERS;
  const { order, selection } = request;
  if (selection.length === 0 || selection.every((s) => s.quantity <= 0)) return { ok: false, step: "items", code: "no_items" };
  const seen = new Set<string>();
  const chosenLines: LineFacts[] = [];
  for (const s of selection) {
    if (seen.has(s.lineId)) return { ok: false, step: "items", code: "duplicate_line" };
    seen.add(s.lineId);
    const line = request.lines.find((l) => l.id === s.lineId);
    if (!line) return { ok: false, step: "items", code: "unknown_line" };
    if (!Number.isInteger(s.quantity) || s.quantity <= 0) return { ok: false, step: "items", code: "quantity_too_high" };
    const eligibility = evaluateLine(rules, order, line, request.now, waived);
    if (eligibility.refusal) return { ok: false, step: "items", code: "line_not_returnable" };
    if (s.quantity > eligibility.returnable) return { ok: false, step: "items", code: "quantity_too_high" };
    if (!offeredReasons(rules, line.category).includes(s.reason)) return { ok: false, step: "items", code: "reason_not_offered" };
    chosenLines.push(line);
  }
  if (!allowedResolutions(rules, request.lines, selection).includes(request.resolution)) {
    // An exchange the policy allows, of a product that comes in other variants, failed on stock alone: say so.
    const soldOut =
      request.resolution === "EXCHANGE" &&
      chosenLines.every((l) => (rules.resolutions.byCategory[l.category] ?? rules.resolutions.default).includes("EXCHANGE") && l.exchangeOptions.length > 0);
    return { ok: false, step: "resolution", code: soldOut ? "exchange_out_of_stock" : "resolution_not_allowed" };
  }
  if (request.resolution === "EXCHANGE") {
    for (const s of selection) {
      const line = chosenLines.find((l) => l.id === s.lineId)!;
      const option = line.exchangeOptions.find((o) => o.variantId === s.exchangeVariantId);
      if (!option) return { ok: false, step: "resolution", code: "exchange_variant_invalid" };
      if (option.available < s.quantity) return { ok: false, step: "resolution", code: "exchange_out_of_stock" };
    }
  }
  if (!offeredMethods(rules, order.country).includes(request.method)) return { ok: false, step: "method", code: "method_not_offered" };

  const items = selection.map((s) => ({ line: chosenLines.find((l) => l.id === s.lineId)!, quantity: s.quantity, reason: s.reason }));
  const valueMinor = items.reduce((sum, i) => sum + lineValueMinor(i.line, i.quantity), 0);
  const fees = feesFor(rules, { currency: order.currency, resolution: request.resolution, method: request.method, items }, waived);
  const feeMinor = Math.min(valueMinor, fees.reduce((sum, f) => sum + f.amountMinor, 0));
  const limitedByEarlierRefunds = request.resolution !== "EXCHANGE" && order.refundableMinor < valueMinor - feeMinor;
  const refundMinor = request.resolution === "EXCHANGE" ? 0 : Math.max(0, Math.min(valueMinor - feeMinor, order.refundableMinor));
  const bonusMinor = request.resolution === "STORE_CREDIT" ? Math.round((refundMinor * rules.storeCreditBonusPercent) / 100) : 0;

  const review: ReviewReason[] = [];
  if (!waived.has("review")) {
    if (selection.some((s) => rules.review.reasons.includes(s.reason))) review.push("review_reason");
    const threshold = rules.review.fromValueMinor[order.currency];
    if (threshold !== undefined && valueMinor >= threshold) review.push("high_value");
    if (request.customer.recentReturns >= rules.review.frequentReturns.count) review.push("frequent_returner");
  }
  const instantLimit = rules.refund.instantUpToMinor[order.currency];
  const instantRefund = request.resolution === "REFUND" && review.length === 0 && refundMinor > 0 && instantLimit !== undefined && refundMinor <= instantLimit;
  return { ok: true, quote: { valueMinor, fees, feeMinor, bonusMinor, refundMinor, limitedByEarlierRefunds, review, instantRefund } };
}

export const QUOTE_PROBLEM_MESSAGE: Record<QuoteProblemCode, string> = {
  no_items: "Choose at least one item to return.",
  unknown_line: "One of the items is not part of this order. Reload the page and choose again.",
  duplicate_line: "An item was chosen twice. Reload the page and choose again.",
  line_not_returnable: "One of the items can no longer be returned. Reload the page to see why.",
  quantity_too_high: "You chose more of an item than you can return. Reload the page to see how many are left.",
  reason_not_offered: "One of the reasons you chose does not apply to its item. Choose another one from that item's list.",
  resolution_not_allowed: "That way of settling the return is not available for these items. Choose another one.",
  exchange_variant_invalid: "Choose the size or colour you would like instead.",
  exchange_out_of_stock: "The size or colour you chose has just sold out. Choose another one, or a refund or store credit.",
  method_not_offered: "That way of sending the parcel back is not offered at your address. Choose another one.",
};

/**
 * How long a card refund takes to show at the bank, in the customer's words ("within 5–10 working
 * days"): every page and message that promises it says it from the policy, so they agree.
 */
export function cardArrivalWithin(days: PolicyRules["refund"]["cardArrivalBusinessDays"]): string {
  return `within ${days.min}–${days.max} working days`;
}

/** How and when the money arrives, in the customer's words. */
export function moneyArrival(rules: PolicyRules, resolution: Resolution, instantRefund: boolean): string {
  const within = cardArrivalWithin(rules.refund.cardArrivalBusinessDays);
  if (resolution === "EXCHANGE") return "We send your new item as soon as your return reaches our warehouse. No money changes hands.";
  if (resolution === "STORE_CREDIT") return "The store credit is added to your account as soon as your return reaches our warehouse, and you can spend it at once.";
  return instantRefund
    ? `We refund your original payment method right away; your bank shows it ${within}.`
    : `We refund your original payment method as soon as your return reaches our warehouse; your bank shows it ${within} after that.`;
}

/**
 * What sending something back costs under these rules, in one sentence for pages that mention
 * returns before the wizard does (so no page promises "free" while the policy charges a fee).
 */
export function describeReturnCosts(rules: PolicyRules, currency: string, money: (minor: number) => string): string {
  const charged = rules.fees.filter((fee) => (fee.amount.kind === "fixed" ? (fee.amount.minor[currency] ?? 0) > 0 : fee.amount.percent > 0));
  if (charged.length === 0) return "Sending it back costs nothing.";
  const costs = charged.map((fee) => {
    const amount = fee.amount.kind === "fixed" ? money(fee.amount.minor[currency]) : `${fee.amount.percent}% of the items' value`;
    const when = [
      fee.when.methods ? `when you ${fee.when.methods.map((m) => METHOD_SHORT[m]).join(" or ")}` : null,
      fee.when.resolutions ? `for ${fee.when.resolutions.map((r) => RESOLUTION_SHORT[r]).join(" or ")}` : null,
      fee.when.categories ? `on ${fee.when.categories.join(", ")}` : null,
      fee.when.allReasonsIn ? `if the reason is “${fee.when.allReasonsIn.map((r) => REASON_LABEL[r]).join("” or “")}”` : null,
    ].filter(Boolean);
    return `${fee.label}: ${amount}${when.length ? ` ${when.join(" ")}` : ""}`;
  });
  return `${costs.join("; ")}. Otherwise sending it back costs nothing.`;
}

const METHOD_SHORT: Record<Method, string> = { DROP_OFF: "drop it off", LABEL: "print a label", PICKUP: "have it picked up" };
const RESOLUTION_SHORT: Record<Resolution, string> = { REFUND: "a refund", STORE_CREDIT: "store credit", EXCHANGE: "an exchange" };

export const RESOLUTION_LABEL: Record<Resolution, string> = {
  REFUND: "Refund to your original payment method",
  STORE_CREDIT: "Store credit",
  EXCHANGE: "Exchange for another size or colour",
};

export const METHOD_LABEL: Record<Method, string> = {
  DROP_OFF: "Drop it off at a parcel shop (show a code, no printer needed)",
  LABEL: "Print a label and hand the parcel to the carrier",
  PICKUP: "Have the carrier pick it up from your address",
};
