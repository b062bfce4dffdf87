// Every message the portal sends a customer, declared once: the business event that triggers it,
// the channels it may use, whether it is a security notice (sent whatever the customer's
// preferences), the facts it needs (checked when it is queued and again when it is rendered) and
// its words. Email, text message and the message centre all render from this one declaration, so
// the channels stay consistent without being identical (a text is one short line with the link).
import { z } from "zod";
import { supportContact } from "@/lib/config/public";
import { formatDate, formatDay } from "@/lib/format/date";
import { formatMoney } from "@/lib/format/money";
import { cardArrivalWithin, METHODS, type Method, type PolicyRules } from "@/lib/returns/policy";
import { CARRIER_CONFIRMS_WITHIN, METHOD_NOUN, pickupCollection, REVIEW_WITHIN } from "@/lib/returns/status";
import type { JourneyType } from "@/lib/trail/journeys";

export type Channel = "email" | "sms" | "portal";

/** What a declaration composes: the templates lay it out for each channel. */
export type Composed = {
  subject: string;
  /** The email's and the message centre's body, one paragraph each. */
  paragraphs: string[];
  /** Where the message's button and links go: a path of the portal, made absolute with its public URL, and the journey it leads into (for the trail). */
  action: { label: string; path: string; journey?: JourneyType };
  /** The text message, without the link (added by the SMS renderer). */
  sms: string;
};

/** Who reads the message: its dates are shown in their zone (null: the store's, until their browser told us theirs). */
export type Reader = { timeZone: string | null };

type Declaration<S extends z.ZodType> = {
  trigger: string;
  channels: readonly Channel[];
  security: boolean;
  data: S;
  /**
   * An optional update (not security, not about a change the customer made or their money): the
   * preference purpose that switches it off, and so one-click unsubscribe. Others follow ORDER_UPDATES.
   */
  optional?: "PROACTIVE_NOTICES";
  /** Facts the store's policy decides (not the caller), added to the data when the message is queued. */
  fromPolicy?: (rules: PolicyRules) => Partial<z.input<S>>;
  compose(data: z.infer<S>, reader: Reader): Composed;
};

const declare = <S extends z.ZodType>(declaration: Declaration<S>) => declaration;

const money = z.object({ amountMinor: z.number().int().min(0), currency: z.string().length(3) });
const amount = (m: z.infer<typeof money>) => formatMoney(m.amountMinor, m.currency);
// Credit added as part of another event (a problem put right, a return received), told in its message.
const credit = money.extend({ balanceMinor: z.number().int() });
const newBalance = (balanceMinor: number, currency: string) => `your balance is now ${formatMoney(balanceMinor, currency)}`;
// The policy's card arrival time (cardArrivalBusinessDays) when the refund was made; messages
// queued before they carried it say less rather than a figure the policy may not have.
const arrivalDays = z.object({ min: z.number().int().min(0), max: z.number().int().min(0) }).optional();
const withArrivalDays = (rules: PolicyRules) => ({ arrivalDays: rules.refund.cardArrivalBusinessDays });
const bankShows = (days: z.infer<typeof arrivalDays>) => (days ? cardArrivalWithin(days) : "within a few working days");
const orderPath = (orderNumber: string) => `/orders/${encodeURIComponent(orderNumber)}`;
const toOrder = (orderNumber: string) => ({ path: orderPath(orderNumber), journey: "order_tracking" as const });
const toReturn = (returnNumber: string) => ({ path: `/returns/${encodeURIComponent(returnNumber)}`, journey: "return_tracking" as const });
const ALL: readonly Channel[] = ["email", "sms", "portal"];
// How the customer sends a return back; absent on return messages queued before they carried it, which then speak of every method.
const returnMethod = z.enum(METHODS).optional();
// What a cancelled return's customer does with the items, for the way it was to go back.
const ITEMS_STAY: Record<Method, { paragraph: string; sms: string }> = {
  LABEL: { paragraph: "The items stay with you, so please do not send them with its label.", sms: "Please do not send the items with its label." },
  DROP_OFF: { paragraph: "The items stay with you, so please do not take them to a drop-off point with its code.", sms: "Please do not take the items to a drop-off point." },
  PICKUP: { paragraph: "The items stay with you: if the carrier still calls to collect them, there is nothing to hand over.", sms: "If the carrier still calls, there is nothing to hand over." },
};
const ITEMS_STAY_ANY_METHOD = { paragraph: "The items stay with you, so please do not send them back.", sms: "There is nothing to send back." };

export const MESSAGE_TYPES = {
  order_cancelled: declare({
    trigger: "The customer (or an agent for them) cancels an order or some of its items (lib/orders/cancellation.ts)",
    channels: ALL,
    security: false,
    data: z.object({ orderNumber: z.string(), fully: z.boolean(), refund: money, released: money, arrivalDays }),
    fromPolicy: withArrivalDays,
    compose: (d) => {
      const what = d.fully ? `Your order ${d.orderNumber} is cancelled` : `Part of your order ${d.orderNumber} is cancelled`;
      const money =
        d.refund.amountMinor > 0
          ? `We are refunding ${amount(d.refund)} to your original payment method; your bank usually shows it ${bankShows(d.arrivalDays)}.`
          : d.released.amountMinor > 0
            ? `You will not be charged: the ${amount(d.released)} held on your card is released, which your bank usually shows within a few days.`
            : "You have not been charged for the cancelled items.";
      return {
        subject: what,
        paragraphs: [`${what}, as you asked.`, money],
        action: { label: "See your order", ...toOrder(d.orderNumber) },
        sms: `${what}. ${d.refund.amountMinor > 0 ? `Refund: ${amount(d.refund)}.` : ""}`.trim(),
      };
    },
  }),
  delivery_address_changed: declare({
    trigger: "The delivery address of an order not yet shipped is changed (lib/orders/delivery-address.ts)",
    channels: ALL,
    security: false,
    data: z.object({ orderNumber: z.string(), addressLine: z.string() }),
    compose: (d) => ({
      subject: `Order ${d.orderNumber} now goes to a new address`,
      paragraphs: [`Your order ${d.orderNumber} will be delivered to ${d.addressLine}.`, "If you did not make this change, tell us straight away so we can stop the parcel."],
      action: { label: "Check the address", ...toOrder(d.orderNumber) },
      sms: `Order ${d.orderNumber} will now be delivered to ${d.addressLine}.`,
    }),
  }),
  payment_received: declare({
    trigger: "Stripe confirms a payment of what was still due, on its hosted page or with the saved card (settleBalancePayment, lib/payments/balance.ts)",
    channels: ALL,
    security: false,
    data: money.extend({ orderNumber: z.string(), balanceDueMinor: z.number().int().min(0) }),
    compose: (d) => ({
      subject: `We have received your payment of ${amount(d)}`,
      paragraphs: [
        `Thank you: your payment of ${amount(d)} for order ${d.orderNumber} has arrived.`,
        d.balanceDueMinor > 0 ? `${formatMoney(d.balanceDueMinor, d.currency)} is still due on this order.` : "Nothing more is due on this order; we prepare it for shipping.",
      ],
      action: { label: "See your order", ...toOrder(d.orderNumber) },
      sms: `Payment of ${amount(d)} received for order ${d.orderNumber}.`,
    }),
  }),
  payment_failed: declare({
    trigger: "A charge of the saved card for what is still due is declined or cannot be made (failBalancePayment, lib/payments/balance.ts)",
    channels: ALL,
    security: false,
    data: money.extend({ orderNumber: z.string() }),
    compose: (d) => ({
      subject: `Your payment for order ${d.orderNumber} did not go through`,
      paragraphs: [
        `We could not take the payment of ${amount(d)} for order ${d.orderNumber}, so nothing was charged.`,
        "You can pay with another card, or try again, from your order's page; we hold the order for you until then.",
      ],
      action: { label: "Pay for your order", path: `${orderPath(d.orderNumber)}/pay`, journey: "balance_payment" },
      sms: `Your payment of ${amount(d)} for order ${d.orderNumber} did not go through. Pay again:`,
    }),
  }),
  return_submitted: declare({
    trigger: "A return is submitted (lib/returns/returns.ts)",
    channels: ALL,
    security: false,
    data: z.object({ returnNumber: z.string(), orderNumber: z.string(), method: returnMethod, held: z.boolean(), nextSteps: z.string(), sendBy: z.iso.datetime({ offset: true }) }),
    compose: (d, reader) => {
      const what = d.method ? METHOD_NOUN[d.method] : "label, drop-off code or pickup booking";
      const sendBy = `Please send the items by ${formatDate(new Date(d.sendBy), reader.timeZone)}.`;
      // The carrier comes for a pickup on the day it books: the customer sends nothing by a date.
      const when =
        d.method === "PICKUP"
          ? { paragraph: "The carrier collects the parcel from your address: you need not take it anywhere.", sms: "The carrier collects it from your address." }
          : { paragraph: sendBy, sms: sendBy };
      return {
        subject: `Return ${d.returnNumber} is submitted`,
        paragraphs: [
          `We have your return ${d.returnNumber} for order ${d.orderNumber}.`,
          d.held ? `One of our team checks it first, ${REVIEW_WITHIN}; you then get your ${what}.` : `Your ${what} follows in a separate message, ${CARRIER_CONFIRMS_WITHIN}.`,
          when.paragraph,
          d.nextSteps,
        ],
        action: { label: "Follow your return", ...toReturn(d.returnNumber) },
        sms: `Return ${d.returnNumber} is submitted. ${when.sms}`,
      };
    },
  }),
  return_cancelled: declare({
    trigger: "The customer cancels a return before it is on its way (cancelReturn, lib/returns/returns.ts)",
    channels: ALL,
    security: false,
    data: z.object({ returnNumber: z.string(), orderNumber: z.string(), method: returnMethod }),
    compose: (d) => {
      const keep = d.method ? ITEMS_STAY[d.method] : ITEMS_STAY_ANY_METHOD;
      return {
        subject: `Return ${d.returnNumber} is cancelled`,
        paragraphs: [
          `Your return ${d.returnNumber} for order ${d.orderNumber} is cancelled, as you asked. ${keep.paragraph}`,
          "Changed your mind again? You can start a new return from your order while its return window is open. If you did not cancel it, tell us straight away.",
        ],
        action: { label: "See your return", ...toReturn(d.returnNumber) },
        sms: `Return ${d.returnNumber} is cancelled, as you asked. ${keep.sms}`,
      };
    },
  }),
  return_declined: declare({
    trigger: "An agent declines a return held for review (reviewReturn, lib/returns/lifecycle.ts)",
    channels: ALL,
    security: false,
    // reason: the agent's words to the customer; null when they gave none.
    data: z.object({ returnNumber: z.string(), orderNumber: z.string(), reason: z.string().nullable() }),
    compose: (d) => ({
      subject: `We cannot accept return ${d.returnNumber}`,
      paragraphs: [
        `We have checked your return ${d.returnNumber} for order ${d.orderNumber} and cannot accept it.${d.reason ? ` Our team's reason: “${d.reason}”` : ""}`,
        "The items stay with you, so please do not send them back. Nothing is refunded and nothing is charged.",
        "Think we got it wrong? Reply from the Help page and one of our team will look at it again.",
      ],
      action: { label: "See your return", ...toReturn(d.returnNumber) },
      sms: `We cannot accept return ${d.returnNumber} (order ${d.orderNumber}). The items stay with you; please do not send them. Why:`,
    }),
  }),
  return_label_ready: declare({
    trigger: "The carrier has booked the return's label, drop-off code or pickup (lib/returns/labels.ts)",
    channels: ALL,
    security: false,
    // pickupDate: the day the carrier collects a pickup, as it answered ("2026-12-07"); null when it gave none, absent on messages queued before it was kept.
    data: z.object({ returnNumber: z.string(), method: z.enum(METHODS), code: z.string(), pickupDate: z.iso.date().nullish() }),
    compose: (d) => {
      const what = METHOD_NOUN[d.method];
      const printLabel = `Print the label from your return's page and stick it on the parcel (tracking ${d.code}).`;
      const pickupDay = d.pickupDate ? new Date(d.pickupDate) : null;
      return {
        subject: `Your ${what} for return ${d.returnNumber} is ready`,
        paragraphs:
          d.method === "DROP_OFF" ? [`Show the code ${d.code} at the drop-off point; no printing needed.`] : d.method === "PICKUP" ? [pickupCollection(pickupDay), printLabel] : [printLabel],
        // A pickup needs the label on the parcel too, as the return's page says.
        action: { label: d.method === "DROP_OFF" ? "See your return" : "Get your label", ...toReturn(d.returnNumber) },
        sms:
          d.method === "PICKUP"
            ? `Your pickup for return ${d.returnNumber} is booked${pickupDay ? ` for ${formatDay(pickupDay)}` : ""} (tracking ${d.code}). Print the label:`
            : `Your ${what} for return ${d.returnNumber} is ready: ${d.code}.`,
      };
    },
  }),
  return_received: declare({
    trigger: "The warehouse scans the return in (carrier webhook \"return.received\", or a later scan that implies it: settleOnReceipt, lib/returns/lifecycle.ts)",
    channels: ALL,
    security: false,
    // A store-credit return's credit is added on arrival and told here (absent on messages queued before it was).
    data: z.object({ returnNumber: z.string(), resolution: z.enum(["REFUND", "STORE_CREDIT", "EXCHANGE"]), credit: credit.optional() }),
    compose: (d) => {
      const next = {
        REFUND: "Your refund is on its way: we send you a message when it has gone to your bank.",
        STORE_CREDIT: d.credit ? `We have added ${amount(d.credit)} of store credit to your account; ${newBalance(d.credit.balanceMinor, d.credit.currency)}.` : "Your store credit is added to your account now.",
        EXCHANGE: "We send your replacement now and tell you when it has left.",
      }[d.resolution];
      return {
        subject: `Return ${d.returnNumber} has arrived`,
        paragraphs: [`Your return ${d.returnNumber} has reached our warehouse.`, next],
        action: { label: "Follow your return", ...toReturn(d.returnNumber) },
        sms: `Return ${d.returnNumber} has reached our warehouse.${d.credit ? ` ${amount(d.credit)} store credit added; balance ${formatMoney(d.credit.balanceMinor, d.credit.currency)}.` : ""}`,
      };
    },
  }),
  exchange_shipped: declare({
    trigger: "The replacement of an exchange leaves the warehouse when the return is received (settleOnReceipt, lib/returns/lifecycle.ts)",
    channels: ALL,
    security: false,
    data: z.object({ returnNumber: z.string(), items: z.number().int().min(1) }),
    compose: (d) => {
      const what = d.items === 1 ? "replacement item is" : `${d.items} replacement items are`;
      return {
        subject: `Your exchange for return ${d.returnNumber} is on its way`,
        paragraphs: [`Your ${what} on the way to you, at no cost.`, "It goes to the delivery address of your original order."],
        action: { label: "See your exchange", ...toReturn(d.returnNumber) },
        sms: `Your exchange for return ${d.returnNumber} has shipped.`,
      };
    },
  }),
  refund_issued: declare({
    trigger: "Stripe confirms a refund (lib/payments/refund-delivery.ts)",
    channels: ALL,
    security: false,
    data: money.extend({ orderNumber: z.string(), returnNumber: z.string().nullable(), arrivalDays }),
    fromPolicy: withArrivalDays,
    compose: (d) => ({
      subject: `Your refund of ${amount(d)} is on its way`,
      paragraphs: [
        `We have refunded ${amount(d)} to your original payment method${d.returnNumber ? ` for return ${d.returnNumber}` : ""} (order ${d.orderNumber}).`,
        `Your bank usually shows it ${bankShows(d.arrivalDays)}.`,
      ],
      action: { label: "See the refund", ...(d.returnNumber ? toReturn(d.returnNumber) : toOrder(d.orderNumber)) },
      sms: `We have refunded ${amount(d)} (order ${d.orderNumber}). Your bank shows it ${bankShows(d.arrivalDays)}.`,
    }),
  }),
  return_fee_waived: declare({
    trigger: "An agent waives a return's fee, from its case (waiveReturnFee, lib/returns/overrides.ts)",
    channels: ALL,
    security: false,
    // settled: how the fee comes back. Before the parcel arrives it is simply not taken off ("later",
    // with what the return now comes to); after, it is refunded to the card or added as store credit.
    data: z.object({
      returnNumber: z.string(),
      resolution: z.enum(["REFUND", "STORE_CREDIT", "EXCHANGE"]),
      fee: money,
      settled: z.discriminatedUnion("how", [
        z.object({ how: z.literal("later"), refundMinor: z.number().int().min(0) }),
        z.object({ how: z.literal("refund") }),
        z.object({ how: z.literal("credit"), balanceMinor: z.number().int() }),
      ]),
      arrivalDays,
    }),
    fromPolicy: withArrivalDays,
    compose: (d) => {
      const { settled } = d;
      const next =
        settled.how === "later"
          ? `You now get ${formatMoney(settled.refundMinor, d.fee.currency)} back${d.resolution === "STORE_CREDIT" ? " in store credit" : ""} once your return reaches our warehouse.`
          : settled.how === "refund"
            ? `We are refunding the ${amount(d.fee)} to your original payment method; your bank usually shows it ${bankShows(d.arrivalDays)}.`
            : `We have added the ${amount(d.fee)} to your store credit; ${newBalance(settled.balanceMinor, d.fee.currency)}.`;
      return {
        subject: `We have waived the fee on return ${d.returnNumber}`,
        paragraphs: [`We have waived the ${amount(d.fee)} fee on your return ${d.returnNumber}.`, next],
        action: { label: "See your return", ...toReturn(d.returnNumber) },
        sms: `We have waived the ${amount(d.fee)} fee on return ${d.returnNumber}.`,
      };
    },
  }),
  store_credit_granted: declare({
    trigger: "Store credit is added as news of its own: an agent's goodwill (grantCredit, lib/credit/ledger.ts); credit from a problem report, a store-credit return or a waived return fee is told in that message",
    channels: ALL,
    security: false,
    data: credit,
    compose: (d) => ({
      subject: `${amount(d)} of store credit added`,
      paragraphs: [`We have added ${amount(d)} of store credit to your account.`, `Your balance is now ${formatMoney(d.balanceMinor, d.currency)}; you can spend it on your next order.`],
      action: { label: "See your balance", path: "/account" },
      sms: `${amount(d)} of store credit added. Balance: ${formatMoney(d.balanceMinor, d.currency)}.`,
    }),
  }),
  case_resolved: declare({
    trigger: "An agent resolves the customer's help request (lib/cases/cases.ts)",
    channels: ALL,
    security: false,
    data: z.object({ caseNumber: z.string(), outcome: z.string() }),
    compose: (d) => ({
      subject: `Your case ${d.caseNumber} is resolved`,
      paragraphs: [`We have looked into your request (case ${d.caseNumber}).`, d.outcome],
      action: { label: "See your help requests", path: "/cases" },
      sms: `Your case ${d.caseNumber} is resolved.`,
    }),
  }),
  problem_resolved: declare({
    trigger: "A problem report is settled in self-service: refund, store credit or a free replacement (resolveProblem, lib/orders/problems.ts)",
    channels: ALL,
    security: false,
    // balanceMinor: store credit's new balance, told here rather than in a message of its own (absent on messages queued before it was).
    data: money.extend({ orderNumber: z.string(), resolution: z.enum(["RESHIP", "REFUND", "STORE_CREDIT"]), replacementOrderNumber: z.string().nullable(), balanceMinor: z.number().int().optional() }),
    compose: (d) => {
      const done = {
        RESHIP: `We are sending you a free replacement${d.replacementOrderNumber ? ` (order ${d.replacementOrderNumber})` : ""}; you need not send anything back.`,
        REFUND: `We are refunding ${amount(d)} to your original payment method; you get a message when it is on its way to your bank.`,
        STORE_CREDIT: `We have added ${amount(d)} of store credit to your account, to spend at once${d.balanceMinor === undefined ? "" : `; ${newBalance(d.balanceMinor, d.currency)}`}.`,
      }[d.resolution];
      return {
        subject: `We have put right the problem with order ${d.orderNumber}`,
        paragraphs: [`Thank you for telling us what went wrong with order ${d.orderNumber}.`, done],
        action: { label: "See your order", ...toOrder(d.resolution === "RESHIP" && d.replacementOrderNumber ? d.replacementOrderNumber : d.orderNumber) },
        sms: `The problem with order ${d.orderNumber} is put right: ${{ RESHIP: "a replacement is on its way", REFUND: `${amount(d)} refund`, STORE_CREDIT: `${amount(d)} store credit${d.balanceMinor === undefined ? "" : ` (balance ${formatMoney(d.balanceMinor, d.currency)})`}` }[d.resolution]}.`,
      };
    },
  }),
  late_order: declare({
    trigger: "Proactive: the promised delivery date passed and the order is not delivered (worker job, lib/notify/proactive.ts)",
    channels: ALL,
    security: false,
    optional: "PROACTIVE_NOTICES",
    // `newEstimate`: the carrier's later date, or null when it gave none (the order's page then says
    // the date is to follow: a date made up here contradicted it).
    data: z.object({ orderNumber: z.string(), newEstimate: z.iso.datetime({ offset: true }).nullable(), cancellable: z.boolean() }),
    compose: (d, reader) => ({
      subject: `Order ${d.orderNumber} is running late`,
      paragraphs: [
        `Your order ${d.orderNumber} has not arrived when we said it would, and we are sorry. ${d.newEstimate ? `We now expect it by ${formatDate(new Date(d.newEstimate), reader.timeZone)}.` : "The carrier has not given us a new date yet; we are chasing it, and your order's page shows the date as soon as we have it."}`,
        d.cancellable
          ? "Happy to wait? There is nothing to do. Rather not wait? It has not left us yet, so you can cancel it from your order's page for a full refund. Or talk to us from the Help page."
          : `Happy to wait? There is nothing to do. Anything else, talk to us from the Help page or call ${supportContact().phone}.`,
      ],
      action: { label: d.cancellable ? "Wait or cancel" : "Follow your order", ...toOrder(d.orderNumber) },
      sms: `Order ${d.orderNumber} is running late; ${d.newEstimate ? `we now expect it by ${formatDate(new Date(d.newEstimate), reader.timeZone)}` : "a new date is to follow"}. Options:`,
    }),
  }),
  refund_late: declare({
    trigger: "Proactive: a refund Stripe has still not confirmed two days after it was made (worker job, lib/notify/proactive.ts)",
    channels: ALL,
    security: false,
    optional: "PROACTIVE_NOTICES",
    data: money.extend({ orderNumber: z.string() }),
    compose: (d) => ({
      subject: `Your refund for order ${d.orderNumber} is taking longer`,
      paragraphs: [
        `Your refund of ${amount(d)} for order ${d.orderNumber} is taking longer than it should to reach your bank. We are on it, and you need not do anything.`,
        "We send you a message as soon as it is on its way; if you would rather talk to someone, use the Help page.",
      ],
      action: { label: "See your order", ...toOrder(d.orderNumber) },
      sms: `Your refund of ${amount(d)} (order ${d.orderNumber}) is taking longer. We are on it:`,
    }),
  }),
  return_window_closing: declare({
    trigger: "Proactive: the return window of a delivered order closes within three days and nothing was returned (worker job, lib/notify/proactive.ts)",
    channels: ALL,
    security: false,
    optional: "PROACTIVE_NOTICES",
    data: z.object({ orderNumber: z.string(), closesAt: z.iso.datetime({ offset: true }) }),
    compose: (d, reader) => ({
      subject: `Last days to return items from order ${d.orderNumber}`,
      paragraphs: [`If something from order ${d.orderNumber} is not right, you can still return it until ${formatDate(new Date(d.closesAt), reader.timeZone)}.`, "If you are keeping everything, there is nothing to do."],
      action: { label: "Start a return", path: `${orderPath(d.orderNumber)}/return`, journey: "return" },
      sms: `You can return items from order ${d.orderNumber} until ${formatDate(new Date(d.closesAt), reader.timeZone)}:`,
    }),
  }),
  password_changed: declare({
    trigger: "The account's password is changed (lib/accounts/profile.ts)",
    channels: ALL,
    security: true,
    data: z.object({}),
    compose: () => ({
      subject: "Your Waymark password was changed",
      paragraphs: [
        "The password of your Waymark account was just changed, and every other device signed in to your account was signed out.",
        "If this was not you, reset your password straight away from the sign-in page and contact us.",
      ],
      action: { label: "Review your sessions", path: "/account/sessions", journey: "session_management" },
      sms: "Your Waymark password was changed. If this was not you, reset it now.",
    }),
  }),
  sign_in_email_changed: declare({
    trigger: "The account's sign-in email is changed (lib/accounts/profile.ts); told to the old address too",
    channels: ALL,
    security: true,
    data: z.object({ maskedNewEmail: z.string() }),
    compose: (d) => {
      const { phone, email } = supportContact();
      return {
        subject: "Your Waymark sign-in email was changed",
        paragraphs: [`Your Waymark account now signs in with ${d.maskedNewEmail}.`, `If you did not ask for this, contact us straight away: call ${phone} or write to ${email}.`],
        action: { label: "Check your account", path: "/account/email" },
        sms: `Your Waymark sign-in email was changed to ${d.maskedNewEmail}. Not you? Call ${phone}.`,
      };
    },
  }),
  new_device_sign_in: declare({
    trigger: "A sign-in from a kind of device and browser none of the account's earlier sessions used (authenticate, lib/accounts/accounts.ts)",
    channels: ALL,
    security: true,
    data: z.object({ device: z.string(), at: z.iso.datetime({ offset: true }) }),
    compose: (d, reader) => ({
      subject: "New sign-in to your Waymark account",
      paragraphs: [
        `Your account was signed in to from ${d.device} on ${formatDate(new Date(d.at), reader.timeZone)}, a kind of device it has not used before.`,
        "If this was you, there is nothing to do. If not, sign that device out from your sessions and change your password straight away.",
      ],
      action: { label: "Review your sessions", path: "/account/sessions", journey: "session_management" },
      sms: `New sign-in to your Waymark account from ${d.device}. Not you? Review your sessions:`,
    }),
  }),
} as const;

export type MessageType = keyof typeof MESSAGE_TYPES;
/** What the caller of notify() gives: the facts of the event, without those the policy decides. */
export type MessageData<T extends MessageType> = Omit<z.input<(typeof MESSAGE_TYPES)[T]["data"]>, "arrivalDays">;

/** The preference purpose a message type follows (security notices are sent whatever it says). */
export function purposeOf(type: MessageType): "ORDER_UPDATES" | "PROACTIVE_NOTICES" {
  const declaration: { optional?: "PROACTIVE_NOTICES" } = MESSAGE_TYPES[type];
  return declaration.optional ?? "ORDER_UPDATES";
}

export function isMessageType(type: string): type is MessageType {
  return Object.hasOwn(MESSAGE_TYPES, type);
}

/** The message of a stored notification; throws when its facts no longer fit the declaration. */
export function compose(type: string, data: unknown, reader: Reader): Composed {
  if (!isMessageType(type)) throw new Error(`unknown message type ${type}`);
  const declaration: Declaration<z.ZodType> = MESSAGE_TYPES[type];
  return declaration.compose(declaration.data.parse(data), reader);
}
