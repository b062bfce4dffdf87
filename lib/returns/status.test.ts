import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "./policy";
import { cameAfterCancellationByLine, canMove, checkedBeforeSending, dueLine, feeCharged, isCancellable, moneyState, pickupCollection, readyToSend, RETURN_STATUSES, returnDue, waitingForCarrier } from "./status";

describe("the return state machine", () => {
  it("moves along the customer's path: requested, approved or reviewed, in transit, received, inspected, settled", () => {
    const path = ["REQUESTED", "APPROVED", "IN_TRANSIT", "RECEIVED", "INSPECTED", "REFUNDED"] as const;
    for (let i = 1; i < path.length; i++) expect(canMove(path[i - 1], path[i])).toBe(true);
    expect(canMove("REQUESTED", "HELD_FOR_REVIEW")).toBe(true);
    expect(canMove("HELD_FOR_REVIEW", "APPROVED")).toBe(true);
    expect(canMove("HELD_FOR_REVIEW", "DECLINED")).toBe(true);
  });

  it("never moves back, nor out of a final state", () => {
    expect(canMove("RECEIVED", "IN_TRANSIT")).toBe(false);
    expect(canMove("INSPECTED", "RECEIVED")).toBe(false);
    for (const final of ["REFUNDED", "CREDITED", "EXCHANGED", "DECLINED", "CANCELLED"] as const) {
      expect(RETURN_STATUSES.filter((to) => canMove(final, to))).toEqual([]);
    }
  });

  it("lets the customer cancel only until the parcel is on its way", () => {
    expect(RETURN_STATUSES.filter(isCancellable)).toEqual(["REQUESTED", "HELD_FOR_REVIEW", "APPROVED"]);
  });
});

describe("what the parcels of cancelled returns brought to us anyway", () => {
  const cancelled = (number: string, note: string | null, lines = [{ orderLineId: "line-lamp", quantity: 1 }]) => ({
    number,
    status: "CANCELLED" as const,
    carrierCode: "TRK1",
    lines,
    history: note ? [{ from: "CANCELLED" as const, to: "CANCELLED" as const, actor: note.startsWith("carrier_") ? "carrier" : "warehouse", note }] : [],
  });

  it("counts the units of a cancelled return whose parcel reached the warehouse or is on its way, per order line", () => {
    const byLine = cameAfterCancellationByLine([
      cancelled("RT-100001", "carrier_parcel_moving", [{ orderLineId: "line-lamp", quantity: 1 }, { orderLineId: "line-tee", quantity: 2 }]),
      cancelled("RT-100002", "parcel_arrived_after_cancellation"),
    ]);
    expect(byLine.get("line-lamp")).toEqual({ quantity: 2, returnNumber: "RT-100002", arrived: true });
    expect(byLine.get("line-tee")).toEqual({ quantity: 2, returnNumber: "RT-100001", arrived: false });
  });

  it("leaves out a cancelled return whose booking was called off or is being called off, and every return not cancelled", () => {
    const open = { ...cancelled("RT-100004", null), status: "APPROVED" as const };
    expect(cameAfterCancellationByLine([cancelled("RT-100001", "carrier_booking_cancelled"), cancelled("RT-100002", null), open]).size).toBe(0);
  });
});

describe("where the customer's money is", () => {
  const refund = { resolution: "REFUND" as const, refundMinor: 2705, bonusMinor: 0 };
  it("follows a card refund from the promise to the bank", () => {
    expect(moneyState({ ...refund, status: "IN_TRANSIT", refunds: [] })).toEqual({ kind: "refund_on_receipt", amountMinor: 2705 });
    expect(moneyState({ ...refund, status: "RECEIVED", refunds: [{ status: "PENDING", amountMinor: 2705 }] })).toEqual({ kind: "refund_pending", amountMinor: 2705 });
    expect(moneyState({ ...refund, status: "RECEIVED", refunds: [{ status: "FAILED", amountMinor: 2705 }] })).toEqual({ kind: "refund_failed", amountMinor: 2705 });
    expect(moneyState({ ...refund, status: "REFUNDED", refunds: [{ status: "SUCCEEDED", amountMinor: 2705 }] })).toEqual({ kind: "refunded", amountMinor: 2705 });
  });

  it("says refund pending while Stripe has not confirmed, even when the policy refunded at once", () => {
    expect(moneyState({ ...refund, status: "APPROVED", refunds: [{ status: "PENDING", amountMinor: 2705 }] }).kind).toBe("refund_pending");
  });

  it("covers store credit, exchanges and returns that ended without money", () => {
    expect(moneyState({ resolution: "STORE_CREDIT", refundMinor: 2000, bonusMinor: 200, status: "APPROVED", refunds: [] })).toEqual({ kind: "credit_on_receipt", amountMinor: 2000, bonusMinor: 200 });
    expect(moneyState({ resolution: "STORE_CREDIT", refundMinor: 2000, bonusMinor: 200, status: "CREDITED", refunds: [] }).kind).toBe("credited");
    expect(moneyState({ resolution: "EXCHANGE", refundMinor: 0, bonusMinor: 0, status: "EXCHANGED", refunds: [] })).toEqual({ kind: "exchanged" });
    expect(moneyState({ ...refund, status: "CANCELLED", refunds: [] })).toEqual({ kind: "none", because: "CANCELLED" });
  });

  it("charges the return shipping fee only on a return that goes ahead", () => {
    expect(feeCharged({ status: "APPROVED", feeMinor: 295 })).toBe(295);
    expect(feeCharged({ status: "REFUNDED", feeMinor: 295 })).toBe(295);
    expect(feeCharged({ status: "CANCELLED", feeMinor: 295 })).toBe(0);
    expect(feeCharged({ status: "DECLINED", feeMinor: 295 })).toBe(0);
  });
});

describe("the date an open return waits on", () => {
  const submitted = new Date("2026-12-03T10:00:00Z"); // a Thursday
  const facts = { createdAt: submitted, carrierCode: null, refunds: [] };

  const rules = (sendBackWithinDays: number, cardArrivalMax = 10) => ({ sendBackWithinDays, refund: { ...DEFAULT_POLICY.rules.refund, cardArrivalBusinessDays: { min: 1, max: cardArrivalMax } } });

  it("asks for the items within the policy's days of submitting (what the confirmation said), and says when the label is there to use", () => {
    expect(returnDue({ ...facts, status: "REQUESTED" }, rules(21))).toEqual({ kind: "send_by", by: new Date("2026-12-24T10:00:00Z"), labelReady: false });
    expect(returnDue({ ...facts, status: "REQUESTED" }, rules(7))).toEqual({ kind: "send_by", by: new Date("2026-12-10T10:00:00Z"), labelReady: false });
    expect(returnDue({ ...facts, status: "APPROVED", carrierCode: "PN123" }, rules(14))).toMatchObject({ kind: "send_by", labelReady: true });
  });

  it("gives the last working day a refund asked of the bank can take, weekends not counted", () => {
    const asked = new Date("2026-12-04T09:00:00Z"); // a Friday
    expect(returnDue({ ...facts, status: "RECEIVED", refunds: [{ status: "PENDING", createdAt: asked }] }, rules(14, 5))).toEqual({ kind: "refund_by", by: new Date("2026-12-11T09:00:00Z") });
  });

  it("has no date while the parcel travels, nor once settled", () => {
    expect(returnDue({ ...facts, status: "IN_TRANSIT" }, rules(14))).toBeNull();
    expect(returnDue({ ...facts, status: "REFUNDED", refunds: [{ status: "SUCCEEDED", createdAt: submitted }] }, rules(14))).toBeNull();
  });
});

describe("waiting for the carrier to book a return", () => {
  it("speaks of the method the customer chose: a label, a drop-off code or a pickup", () => {
    expect(waitingForCarrier("LABEL")).toMatch(/^Your return label is on its way\. It appears here as soon as the carrier confirms/);
    expect(waitingForCarrier("DROP_OFF")).toMatch(/^Your drop-off code is on its way\./);
    expect(waitingForCarrier("PICKUP")).toMatch(/^We are booking the carrier to collect the parcel from your address\./);
    expect(waitingForCarrier("PICKUP")).not.toContain("on its way");
  });

  it("tells a customer whose return is checked first what the check holds back: the label, the drop-off code or the pickup", () => {
    expect(checkedBeforeSending("LABEL")).toBe("One of our team checks this return before you get your return label, usually within one working day.");
    expect(checkedBeforeSending("DROP_OFF")).toBe("One of our team checks this return before you get your drop-off code, usually within one working day.");
    expect(checkedBeforeSending("PICKUP")).toContain("before you get your pickup booking");
    // Before a way is chosen, it names none of them.
    expect(checkedBeforeSending(null)).toBe("One of our team checks this return before you get what you need to send it back, usually within one working day.");
  });
});

describe("a booked pickup", () => {
  it("names the day the carrier collects, or says plainly that the carrier gave none", () => {
    expect(pickupCollection(new Date("2026-12-07"))).toBe("The carrier collects the parcel from your address on 7 Dec 2026.");
    expect(pickupCollection(null)).toBe("The carrier collects the parcel from your address; they have not told us on which day.");
  });
});

describe("the overview's line for a return ready to go", () => {
  const sendBy = new Date("2026-12-20T10:00:00Z");

  it("gives a pickup the day the carrier collects it, not a day to send it by", () => {
    const pickup = readyToSend({ returnNumber: "RT-1", method: "PICKUP", sendBy, pickupDate: new Date("2026-12-07") }, "America/New_York");
    expect(pickup).toEqual({ line: "Return RT-1: your pickup booking is ready. The carrier collects the parcel from your address on 7 Dec 2026.", badge: "To hand over" });
    expect(readyToSend({ returnNumber: "RT-1", method: "PICKUP", sendBy, pickupDate: null }, null).line).toBe(
      "Return RT-1: your pickup booking is ready. The carrier collects the parcel from your address; they have not told us on which day.",
    );
  });

  it("asks for a label or drop-off to be sent by its day, in the customer's zone", () => {
    expect(readyToSend({ returnNumber: "RT-2", method: "LABEL", sendBy, pickupDate: null }, "Europe/London")).toEqual({ line: "Return RT-2: your return label is ready. Send the items by 20 Dec 2026.", badge: "To send" });
    expect(readyToSend({ returnNumber: "RT-3", method: "DROP_OFF", sendBy, pickupDate: null }, "Europe/London").line).toBe("Return RT-3: your drop-off code is ready. Send the items by 20 Dec 2026.");
  });
});

describe("the date beside an open return in the overview's list", () => {
  const by = new Date("2026-12-20T10:00:00Z");

  it("gives a pickup the carrier's collection day, never a day to send it back by", () => {
    expect(dueLine({ kind: "send_by", by, labelReady: true }, { status: "APPROVED", method: "PICKUP", pickupDate: new Date("2026-12-07") }, "America/New_York")).toBe("collected on 7 Dec 2026");
    expect(dueLine({ kind: "send_by", by, labelReady: false }, { status: "APPROVED", method: "PICKUP", pickupDate: null }, null)).toBe("");
  });

  it("gives a label or drop-off its send-by day, and a refund the day it is in the bank", () => {
    expect(dueLine({ kind: "send_by", by, labelReady: true }, { status: "APPROVED", method: "LABEL", pickupDate: null }, "Europe/London")).toBe("send back by 20 Dec 2026");
    expect(dueLine({ kind: "refund_by", by }, { status: "RECEIVED", method: "PICKUP", pickupDate: new Date("2026-12-07") }, "Europe/London")).toBe("refund in your account by 20 Dec 2026");
    expect(dueLine(null, { status: "REFUNDED", method: "LABEL", pickupDate: null }, null)).toBe("");
  });

  it("gives no send-by day while our team checks the return: nothing can be sent before", () => {
    expect(dueLine({ kind: "send_by", by, labelReady: false }, { status: "HELD_FOR_REVIEW", method: "DROP_OFF", pickupDate: null }, "Europe/London")).toBe("");
  });
});
