// The return both return benchmarks submit: one item too small, one damaged, refunded, with a label.
import crypto from "node:crypto";
import type { ReturnSubmission } from "../../lib/returns/returns";

export function benchReturnRequest(orderNumber: string, lines: readonly { id: string }[]): ReturnSubmission {
  return {
    orderNumber,
    idempotencyKey: crypto.randomUUID(),
    resolution: "REFUND",
    method: "LABEL",
    lines: [
      { lineId: lines[0].id, quantity: 1, reason: "wrong_size", note: "Too small", photo: null, exchangeVariantId: null },
      { lineId: lines[1].id, quantity: 1, reason: "damaged", note: null, photo: null, exchangeVariantId: null },
    ],
  };
}
