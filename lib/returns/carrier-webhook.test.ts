import { describe, expect, it } from "vitest";
import { carrierEventSchema, signCarrierPayload, verifyCarrierSignature } from "./carrier-webhook";

const SECRET = "whsec_test_carrier";
const body = JSON.stringify({ id: "evt_1", type: "return.received", occurredAt: "2026-03-02T10:00:00Z", data: { reference: "RT-100400" } });
const at = new Date("2026-03-02T10:00:30Z");
const t = Math.floor(at.getTime() / 1000);

describe("carrier webhook signatures", () => {
  it("accepts the signature of the exact body and time", () => {
    expect(verifyCarrierSignature(SECRET, body, signCarrierPayload(SECRET, body, t), at)).toEqual({ ok: true });
  });

  it("refuses a changed body, another secret, a missing or malformed header", () => {
    const header = signCarrierPayload(SECRET, body, t);
    expect(verifyCarrierSignature(SECRET, body.replace("RT-100400", "RT-100401"), header, at)).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyCarrierSignature("another-secret", body, header, at)).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyCarrierSignature(SECRET, body, null, at)).toEqual({ ok: false, reason: "missing" });
    expect(verifyCarrierSignature(SECRET, body, "t=abc,v1=zz", at)).toEqual({ ok: false, reason: "malformed" });
  });

  it("refuses a signature older or newer than five minutes (a replay captured earlier)", () => {
    expect(verifyCarrierSignature(SECRET, body, signCarrierPayload(SECRET, body, t - 301), at)).toEqual({ ok: false, reason: "stale" });
    expect(verifyCarrierSignature(SECRET, body, signCarrierPayload(SECRET, body, t + 301), at)).toEqual({ ok: false, reason: "stale" });
    expect(verifyCarrierSignature(SECRET, body, signCarrierPayload(SECRET, body, t - 299), at)).toEqual({ ok: true });
  });
});

describe("carrier events", () => {
  it("accepts only the events and references we know", () => {
    expect(carrierEventSchema.safeParse(JSON.parse(body)).success).toBe(true);
    expect(carrierEventSchema.safeParse({ ...JSON.parse(body), type: "return.refunded" }).success).toBe(false);
    expect(carrierEventSchema.safeParse({ ...JSON.parse(body), data: { reference: "../etc" } }).success).toBe(false);
  });
});
