// How a return moves, and how its state reads to a customer. Framework-free. Statuses only move
// forward along the path; an event that would move one back (a late or replayed webhook) changes
// nothing.
import { formatDate, formatDay } from "@/lib/format/date";
import type { Method, PolicyRules } from "./policy";

export const RETURN_STATUSES = [
  "REQUESTED",
  "HELD_FOR_REVIEW",
  "APPROVED",
  "IN_TRANSIT",
  "RECEIVED",
  "INSPECTED",
  "REFUNDED",
  "CREDITED",
  "EXCHANGED",
  "DECLINED",
  "CANCELLED",
] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

const NEXT: Record<ReturnStatus, readonly ReturnStatus[]> = {
  REQUESTED: ["HELD_FOR_REVIEW", "APPROVED", "DECLINED", "CANCELLED"],
  HELD_FOR_REVIEW: ["APPROVED", "DECLINED", "CANCELLED"],
  APPROVED: ["IN_TRANSIT", "RECEIVED", "CANCELLED"],
  // A parcel handed in at the warehouse's own counter is received without a transit scan.
  IN_TRANSIT: ["RECEIVED"],
  // Money moves when the parcel arrives; settling may come before or after the inspection.
  RECEIVED: ["INSPECTED", "REFUNDED", "CREDITED", "EXCHANGED"],
  INSPECTED: ["REFUNDED", "CREDITED", "EXCHANGED"],
  REFUNDED: [],
  CREDITED: [],
  EXCHANGED: [],
  DECLINED: [],
  CANCELLED: [],
};

export function canMove(from: ReturnStatus, to: ReturnStatus): boolean {
  return NEXT[from].includes(to);
}

export const OPEN_STATUSES: readonly ReturnStatus[] = ["REQUESTED", "HELD_FOR_REVIEW", "APPROVED", "IN_TRANSIT", "RECEIVED", "INSPECTED"];
export const SETTLED_STATUSES: readonly ReturnStatus[] = ["REFUNDED", "CREDITED", "EXCHANGED"];

export function isOpen(status: ReturnStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** An agent can waive a return's fee while it is open, and once refunded or credited (the fee then goes back on its own); not once declined, cancelled or exchanged. */
export function feeCanBeWaived(status: ReturnStatus): boolean {
  return isOpen(status) || status === "REFUNDED" || status === "CREDITED";
}

/** The customer can cancel until the parcel is on its way. */
export function isCancellable(status: ReturnStatus): boolean {
  return canMove(status, "CANCELLED");
}

export const RETURN_STATUS_LABEL: Record<ReturnStatus, string> = {
  REQUESTED: "Requested",
  HELD_FOR_REVIEW: "Being reviewed",
  APPROVED: "Approved",
  IN_TRANSIT: "On its way to us",
  RECEIVED: "Received",
  INSPECTED: "Checked",
  REFUNDED: "Refunded",
  CREDITED: "Store credit added",
  EXCHANGED: "Exchanged",
  DECLINED: "Declined",
  CANCELLED: "Cancelled",
};

export function statusBadgeClass(status: ReturnStatus): string {
  if (SETTLED_STATUSES.includes(status)) return "badge done";
  if (status === "DECLINED") return "badge failed";
  return "badge";
}

const DAY_MS = 86_400_000;

/** The day the items must be sent by: `days` (the policy's sendBackWithinDays) after submitting, as the confirmation message says. */
export function sendBackBy(submittedAt: Date, days: number): Date {
  return new Date(submittedAt.getTime() + days * DAY_MS);
}

/** Monday to Friday; banks count in working days. */
function addWorkingDays(from: Date, days: number): Date {
  const at = new Date(from);
  for (let left = days; left > 0; ) {
    at.setTime(at.getTime() + DAY_MS);
    if (at.getUTCDay() !== 0 && at.getUTCDay() !== 6) left--;
  }
  return at;
}

export type DueFacts = { status: ReturnStatus; createdAt: Date; carrierCode: string | null; refunds: { status: "PENDING" | "SUCCEEDED" | "FAILED"; createdAt: Date }[] };

/**
 * The date an open return waits on, for the overview: the day the items must be sent back by
 * (with whether the label or code is there to use), or, once a refund is asked of the bank, the
 * day it is in the customer's account at the latest. Null when neither applies (on its way to us,
 * being checked, or settled). `rules`: the policy the return was judged by, whose dates its
 * messages told.
 */
export type ReturnDue = { kind: "send_by"; by: Date; labelReady: boolean } | { kind: "refund_by"; by: Date } | null;

export function returnDue(ret: DueFacts, rules: Pick<PolicyRules, "sendBackWithinDays" | "refund">): ReturnDue {
  if (ret.status === "REQUESTED" || ret.status === "HELD_FOR_REVIEW" || ret.status === "APPROVED") {
    return { kind: "send_by", by: sendBackBy(ret.createdAt, rules.sendBackWithinDays), labelReady: ret.status === "APPROVED" && ret.carrierCode !== null };
  }
  const pending = ret.refunds.filter((r) => r.status === "PENDING").map((r) => r.createdAt.getTime());
  if (isOpen(ret.status) && pending.length) return { kind: "refund_by", by: addWorkingDays(new Date(Math.max(...pending)), rules.refund.cardArrivalBusinessDays.max) };
  return null;
}

export type MoneyFacts = {
  status: ReturnStatus;
  resolution: "REFUND" | "STORE_CREDIT" | "EXCHANGE";
  refundMinor: number;
  bonusMinor: number;
  refunds: { status: "PENDING" | "SUCCEEDED" | "FAILED"; amountMinor: number }[];
};

/** Where the customer's money is, as the return page tells it. */
export type MoneyState =
  | { kind: "none"; because: "DECLINED" | "CANCELLED" }
  | { kind: "refund_on_receipt" | "refund_pending" | "refund_failed" | "refunded"; amountMinor: number }
  | { kind: "credit_on_receipt" | "credited"; amountMinor: number; bonusMinor: number }
  | { kind: "exchange_on_receipt" | "exchanged" };

export function moneyState(ret: MoneyFacts): MoneyState {
  if (ret.status === "DECLINED" || ret.status === "CANCELLED") return { kind: "none", because: ret.status };
  if (ret.resolution === "EXCHANGE") return { kind: ret.status === "EXCHANGED" ? "exchanged" : "exchange_on_receipt" };
  if (ret.resolution === "STORE_CREDIT") return { kind: ret.status === "CREDITED" ? "credited" : "credit_on_receipt", amountMinor: ret.refundMinor, bonusMinor: ret.bonusMinor };
  if (ret.status === "REFUNDED") return { kind: "refunded", amountMinor: ret.refundMinor };
  // Queued (the parcel arrived, or the policy refunds at once) but not yet confirmed by Stripe.
  if (ret.refunds.some((r) => r.status === "PENDING")) return { kind: "refund_pending", amountMinor: ret.refunds.filter((r) => r.status === "PENDING").reduce((s, r) => s + r.amountMinor, 0) };
  if (ret.refunds.some((r) => r.status === "FAILED") && !ret.refunds.some((r) => r.status === "SUCCEEDED")) return { kind: "refund_failed", amountMinor: ret.refundMinor };
  return { kind: "refund_on_receipt", amountMinor: ret.refundMinor };
}

/**
 * The return shipping fee the customer pays, as the return page shows it: none once the return
 * was cancelled or declined, since nothing is sent back and nothing is charged (a cancelled
 * return's page said "Includes a £2.95 return shipping fee" beside "Nothing to pay back").
 */
export function feeCharged(ret: { status: ReturnStatus; feeMinor: number }): number {
  return ret.status === "CANCELLED" || ret.status === "DECLINED" ? 0 : ret.feeMinor;
}

/** What the carrier books for each way of sending a return back, as customers call it. */
export const METHOD_NOUN: Record<Method, string> = { LABEL: "return label", DROP_OFF: "drop-off code", PICKUP: "pickup booking" };

/**
 * How long the wait for the carrier usually is once a return is approved, and for our team's
 * check of a return held for review: the return's page and the help centre say the same.
 */
export const CARRIER_CONFIRMS_WITHIN = "usually within minutes";
export const REVIEW_WITHIN = "usually within one working day";

/**
 * What the return form says of a return our team checks first: before a way of sending it is
 * chosen, and once one is. It said "before you get the label" for a drop-off or a pickup, whose
 * page then promised a drop-off code or a pickup booking.
 */
export function checkedBeforeSending(method: Method | null): string {
  return `One of our team checks this return before you get ${method ? `your ${METHOD_NOUN[method]}` : "what you need to send it back"}, ${REVIEW_WITHIN}.`;
}

/**
 * What an approved return's page says while the carrier books the method the customer chose (a
 * pickup read "Your label is on its way" and never mentioned the pickup).
 */
export function waitingForCarrier(method: Method): string {
  const confirms = `as soon as the carrier confirms — ${CARRIER_CONFIRMS_WITHIN}. You do not need to do anything.`;
  if (method === "PICKUP") return `We are booking the carrier to collect the parcel from your address. The booking and the label to stick on the parcel appear here ${confirms}`;
  return `Your ${METHOD_NOUN[method]} is on its way. It appears here ${confirms}`;
}


/**
 * When the carrier collects a pickup, as the return's page and the pickup message say it: the day
 * the carrier answered the booking with, or plainly that it gave none (never a day of our guessing).
 */
export function pickupCollection(pickupDate: Date | null): string {
  return pickupDate ? `The carrier collects the parcel from your address on ${formatDay(pickupDate)}.` : "The carrier collects the parcel from your address; they have not told us on which day.";
}

/**
 * The overview's line for a return whose label, drop-off code or pickup is booked, and its badge:
 * a label or code is sent by a day, a pickup is collected on the carrier's day (it read "Send the
 * items by …", a day the customer has nothing to do with).
 */
export function readyToSend(ret: { returnNumber: string; method: Method; sendBy: Date; pickupDate: Date | null }, timeZone: string | null): { line: string; badge: string } {
  const ready = `Return ${ret.returnNumber}: your ${METHOD_NOUN[ret.method]} is ready.`;
  if (ret.method === "PICKUP") return { line: `${ready} ${pickupCollection(ret.pickupDate)}`, badge: "To hand over" };
  return { line: `${ready} Send the items by ${formatDate(ret.sendBy, timeZone)}.`, badge: "To send" };
}

/**
 * The date beside an open return in the overview's list: the day to send it back by, the day the
 * carrier collects a pickup (a pickup has no send-by day: it said "send back by …" under the
 * collection day), or the day a refund reaches the bank. Empty when there is none to give, and
 * while our team checks the return: nothing can be sent before that (it said "send back by …").
 */
export function dueLine(due: ReturnDue, ret: { status: ReturnStatus; method: Method; pickupDate: Date | null }, timeZone: string | null): string {
  if (!due || ret.status === "HELD_FOR_REVIEW") return "";
  if (due.kind === "refund_by") return `refund in your account by ${formatDate(due.by, timeZone)}`;
  if (ret.method !== "PICKUP") return `send back by ${formatDate(due.by, timeZone)}`;
  return ret.pickupDate ? `collected on ${formatDay(ret.pickupDate)}` : "";
}

/**
 * The carrier's answer when a cancelled return's booking is called off, kept in the return's
 * history as a row from and to CANCELLED by the actor "carrier", with one of these notes.
 */
export const CARRIER_CALL_OFF_NOTE = { cancelled: "carrier_booking_cancelled", parcel_moving: "carrier_parcel_moving" } as const;

/**
 * A cancelled return's parcel collected by the carrier or received at the warehouse all the same,
 * kept in its history as a row from and to CANCELLED with one of these notes (once each).
 */
export const PARCEL_AFTER_CANCELLATION_NOTE = { collected: "parcel_collected_after_cancellation", arrived: "parcel_arrived_after_cancellation" } as const;

/**
 * The reason of the case an agent gets when a cancelled return's parcel comes to us anyway: the
 * carrier already had it when its booking was called off, or collected it or brought it to the
 * warehouse after the cancellation. The code is the one its first use (the call-off) stored.
 */
export const PARCEL_AFTER_CANCELLATION_REASON = "return_call_off_refused";

/**
 * What became of a cancelled return's booked parcel, as its page tells it: calling off the booking
 * asked of the carrier and not yet answered, called off, or refused with the parcel already moving;
 * or the parcel collected, or at our warehouse, after the cancellation all the same.
 */
export type CancelledParcel = "pending" | keyof typeof CARRIER_CALL_OFF_NOTE | keyof typeof PARCEL_AFTER_CANCELLATION_NOTE;

type HistoryEntry = { from: ReturnStatus | null; to: ReturnStatus; actor: string; note: string | null };

const noteOf = <Notes extends Record<string, string>>(notes: Notes, entry: HistoryEntry): keyof Notes | null =>
  entry.from === "CANCELLED" && entry.to === "CANCELLED" ? ((Object.keys(notes) as (keyof Notes)[]).find((key) => notes[key] === entry.note) ?? null) : null;
const callOffAnswer = (entry: HistoryEntry) => (entry.actor === "carrier" ? noteOf(CARRIER_CALL_OFF_NOTE, entry) : null);
const parcelAfterCancellation = (entry: HistoryEntry) => noteOf(PARCEL_AFTER_CANCELLATION_NOTE, entry);

/**
 * Where a cancelled return's parcel stands; null when the customer never had a label, code or
 * pickup to be called off and no parcel came (or the return is not cancelled). A parcel that came
 * anyway outranks the carrier's answer, whenever each was heard.
 */
export function cancelledParcel(ret: { status: ReturnStatus; carrierCode: string | null; history: HistoryEntry[] }): CancelledParcel | null {
  if (ret.status !== "CANCELLED") return null;
  const came = ret.history.map(parcelAfterCancellation);
  if (came.includes("arrived")) return "arrived";
  if (came.includes("collected")) return "collected";
  const answered = ret.history.map(callOffAnswer).findLast((answer) => answer !== null);
  return answered ?? (ret.carrierCode ? "pending" : null);
}

/** Whether the parcel of a cancelled return is on its way to us or with us, so an agent sorts it out with the customer. */
export function parcelCameAnyway(state: CancelledParcel): boolean {
  return state === "parcel_moving" || state === "collected" || state === "arrived";
}

type ReturnOfOrder = Parameters<typeof cancelledParcel>[0] & { number: string; lines: { orderLineId: string; quantity: number }[] };

/**
 * For each order line, the units in the order's cancelled returns whose parcel came to us all the
 * same, and the last such return (`returns` oldest first): the customer no longer has them to
 * send, so "Start a return" offers them no more (it offered them again once the return was cancelled).
 */
export function cameAfterCancellationByLine(returns: ReturnOfOrder[]): Map<string, { quantity: number; returnNumber: string; arrived: boolean }> {
  const byLine = new Map<string, { quantity: number; returnNumber: string; arrived: boolean }>();
  for (const ret of returns) {
    const parcel = cancelledParcel(ret);
    if (!parcel || !parcelCameAnyway(parcel)) continue;
    for (const line of ret.lines) {
      const quantity = (byLine.get(line.orderLineId)?.quantity ?? 0) + line.quantity;
      byLine.set(line.orderLineId, { quantity, returnNumber: ret.number, arrived: parcel === "arrived" });
    }
  }
  return byLine;
}

const CALLED_OFF: Record<Method, { pending: string; cancelled: string }> = {
  LABEL: { pending: "We are asking the carrier to cancel the label. Please do not use it.", cancelled: "The carrier has cancelled the label: it no longer works." },
  DROP_OFF: {
    pending: "We are asking the carrier to cancel the drop-off code. Please do not take the items to a drop-off point.",
    cancelled: "The carrier has cancelled the drop-off code: it no longer works.",
  },
  PICKUP: {
    pending: "We are asking the carrier to call off the pickup. If they come to collect the parcel anyway, there is nothing to hand over.",
    cancelled: "The carrier has called off the pickup: nobody comes to collect the parcel.",
  },
};

const TEAM_SORTS_IT_OUT = "One of our team will contact you about sending it back to you.";

/** What a cancelled return's page says of its parcel, in the words of its method. */
export function cancelledParcelNotice(state: CancelledParcel, method: Method): string {
  if (state === "parcel_moving") return `The carrier already had the parcel when we asked to call off the ${METHOD_NOUN[method]}, so it is on its way to us. ${TEAM_SORTS_IT_OUT}`;
  if (state === "collected") return `The carrier collected the parcel after this return was cancelled, so it is on its way to us. ${TEAM_SORTS_IT_OUT}`;
  if (state === "arrived") return `Your parcel reached our warehouse after this return was cancelled. ${TEAM_SORTS_IT_OUT}`;
  return CALLED_OFF[method][state];
}

/** A line of the return's progress: its status, or the carrier's answer to calling off its booking. */
export function historyLabel(entry: HistoryEntry): string {
  const answer = callOffAnswer(entry);
  if (answer === "cancelled") return "Carrier booking called off";
  if (answer === "parcel_moving") return "The carrier already had the parcel";
  const came = parcelAfterCancellation(entry);
  if (came === "collected") return "Collected by the carrier after the cancellation";
  if (came === "arrived") return "Reached our warehouse after the cancellation";
  return RETURN_STATUS_LABEL[entry.to];
}
