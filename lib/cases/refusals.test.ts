import { describe, expect, it } from "vitest";
import { CASE_REFUSAL_CODES, refusalWords, type CaseRefusalCode, type RefusalWith } from "./refusals";

// One refusal of each code as an action returns it (a cancellation's with its currency); typed so
// that a new code needs one here too.
const REFUSED: { [Code in CaseRefusalCode]: RefusalWith<Code> } = {
  case_closed: { ok: false, code: "case_closed" },
  case_already_closed: { ok: false, code: "case_already_closed" },
  case_not_found: { ok: false, code: "case_not_found" },
  taken_by_another: { ok: false, code: "taken_by_another", agentName: "Bea Backup" },
  not_an_agent: { ok: false, code: "not_an_agent" },
  order_not_found: { ok: false, code: "order_not_found" },
  order_already_shipped: { ok: false, code: "order_already_shipped", currency: "GBP" },
  order_already_cancelled: { ok: false, code: "order_already_cancelled", currency: "GBP" },
  invalid_line: { ok: false, code: "invalid_line", currency: "GBP" },
  quantity_too_high: { ok: false, code: "quantity_too_high", currency: "GBP" },
  order_cancelled: { ok: false, code: "order_cancelled", orderNumber: "WM-209300" },
  refund_exceeds_payment: { ok: false, code: "refund_exceeds_payment", refundableMinor: 1250, currency: "GBP" },
  goodwill_exceeds_order: { ok: false, code: "goodwill_exceeds_order", grantableMinor: 5300, currency: "GBP" },
  rule_not_overridable: { ok: false, code: "rule_not_overridable" },
  return_not_found: { ok: false, code: "return_not_found" },
  return_closed: { ok: false, code: "return_closed" },
  already_overridden: { ok: false, code: "already_overridden" },
  no_fee: { ok: false, code: "no_fee" },
  no_return_to_review: { ok: false, code: "no_return_to_review" },
  not_held_for_review: { ok: false, code: "not_held_for_review" },
};

describe("an agent's refused action on a case, in words", () => {
  it("has a sentence for every code, never the code itself", () => {
    expect([...CASE_REFUSAL_CODES].sort()).toEqual(Object.keys(REFUSED).sort());
    for (const code of CASE_REFUSAL_CODES) {
      const words = refusalWords(REFUSED[code]);
      // It read 'The order could not be cancelled (invalid line).': the code with its underscores replaced.
      expect(words, code).not.toMatch(/_/);
      expect(words.toLowerCase(), code).not.toContain(code.replaceAll("_", " "));
      expect(words, code).toMatch(/^[A-Z].*\.$/);
    }
  });

  it("says that nothing was done, or what was done instead, so the agent need not check", () => {
    for (const code of CASE_REFUSAL_CODES) {
      if (code === "taken_by_another") continue;
      expect(refusalWords(REFUSED[code]), code).toMatch(/\bnothing\b|\bno(t)? /i);
    }
    expect(refusalWords(REFUSED.taken_by_another)).toBe("Bea Backup took this case first, so it stays with them. Ask them before doing anything for the customer.");
  });

  it("gives the figures the agent needs to try again", () => {
    expect(refusalWords(REFUSED.refund_exceeds_payment)).toBe("At most £12.50 is left to refund on this order, so nothing was refunded. Refund less, or grant store credit instead.");
    expect(refusalWords(REFUSED.goodwill_exceeds_order)).toMatch(/^Goodwill for this order can be at most £53\.00: /);
    expect(refusalWords(REFUSED.order_cancelled)).toBe("Order WM-209300 was cancelled in full, so there is nothing to grant against it. Nothing was granted.");
  });

  it("tells a stale tab on a closed case that nothing was done, and how to do more", () => {
    expect(refusalWords(REFUSED.case_closed)).toBe(refusalWords(REFUSED.case_already_closed));
    expect(refusalWords(REFUSED.case_closed)).toBe("This case was closed before you acted, so nothing was done. To do more for the customer, log their contact to open a new case.");
  });
});
