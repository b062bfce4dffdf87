import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhook, webhookHeaders } from "./backoffice-signature";

// The test vector of the Standard Webhooks reference libraries (libraries/javascript/src/webhook.test.ts).
const SPEC = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};
const AT_SPEC_TIME = new Date(SPEC.timestamp * 1000);

const specHeaders = (overrides: Record<string, string | undefined> = {}) => ({
  "webhook-id": SPEC.id,
  "webhook-timestamp": String(SPEC.timestamp),
  "webhook-signature": SPEC.signature,
  ...overrides,
});

describe("signing", () => {
  it("produces the specification's signature for its test vector", () => {
    expect(signWebhook(SPEC.secret, SPEC.id, SPEC.timestamp, SPEC.body)).toBe(SPEC.signature);
  });

  it("accepts the secret without its whsec_ prefix, as the reference libraries do", () => {
    expect(signWebhook(SPEC.secret.slice(6), SPEC.id, SPEC.timestamp, SPEC.body)).toBe(SPEC.signature);
  });

  it("stamps the attempt's time in whole seconds and signs what it sends", () => {
    const headers = webhookHeaders(SPEC.secret, "evt_1", '{"a":1}', new Date(1_700_000_000_999));
    expect(headers["webhook-timestamp"]).toBe("1700000000");
    expect(verifyWebhook(SPEC.secret, headers, '{"a":1}', new Date(1_700_000_010_000))).toEqual({ ok: true, id: "evt_1", timestamp: 1_700_000_000 });
  });

  it("refuses an id that would break the dot-joined signed content", () => {
    expect(() => webhookHeaders(SPEC.secret, "evt.1", "{}")).toThrow();
  });
});

describe("verifying", () => {
  it("accepts the specification's test vector, with plain objects or fetch Headers", () => {
    expect(verifyWebhook(SPEC.secret, specHeaders(), SPEC.body, AT_SPEC_TIME)).toEqual({ ok: true, id: SPEC.id, timestamp: SPEC.timestamp });
    expect(verifyWebhook(SPEC.secret, new Headers(specHeaders()), SPEC.body, AT_SPEC_TIME).ok).toBe(true);
  });

  it("refuses a body changed by a single character (e.g. parsed and re-serialised)", () => {
    expect(verifyWebhook(SPEC.secret, specHeaders(), '{"test":2432232314}', AT_SPEC_TIME)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("refuses another secret, another id and another timestamp", () => {
    expect(verifyWebhook("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", specHeaders(), SPEC.body, AT_SPEC_TIME).ok).toBe(false);
    expect(verifyWebhook(SPEC.secret, specHeaders({ "webhook-id": "msg_other" }), SPEC.body, AT_SPEC_TIME).ok).toBe(false);
    expect(verifyWebhook(SPEC.secret, specHeaders({ "webhook-timestamp": String(SPEC.timestamp + 1) }), SPEC.body, AT_SPEC_TIME).ok).toBe(false);
  });

  it("refuses deliveries signed more than 5 minutes away from now, in either direction", () => {
    expect(verifyWebhook(SPEC.secret, specHeaders(), SPEC.body, new Date((SPEC.timestamp + 300) * 1000)).ok).toBe(true);
    expect(verifyWebhook(SPEC.secret, specHeaders(), SPEC.body, new Date((SPEC.timestamp + 301) * 1000))).toEqual({ ok: false, reason: "timestamp_out_of_tolerance" });
    expect(verifyWebhook(SPEC.secret, specHeaders(), SPEC.body, new Date((SPEC.timestamp - 301) * 1000))).toEqual({ ok: false, reason: "timestamp_out_of_tolerance" });
  });

  it("finds the valid signature among several (secret rotation) and accepts the previous secret while rotating", () => {
    const several = `v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v1a,bm90LWEtc2lnbmF0dXJl ${SPEC.signature}`;
    expect(verifyWebhook(SPEC.secret, specHeaders({ "webhook-signature": several }), SPEC.body, AT_SPEC_TIME).ok).toBe(true);
    expect(verifyWebhook(["whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", SPEC.secret], specHeaders(), SPEC.body, AT_SPEC_TIME).ok).toBe(true);
  });

  it("refuses missing, truncated and malformed headers", () => {
    expect(verifyWebhook(SPEC.secret, specHeaders({ "webhook-id": undefined }), SPEC.body, AT_SPEC_TIME)).toEqual({ ok: false, reason: "missing_headers" });
    expect(verifyWebhook(SPEC.secret, specHeaders({ "webhook-signature": undefined }), SPEC.body, AT_SPEC_TIME)).toEqual({ ok: false, reason: "missing_headers" });
    expect(verifyWebhook(SPEC.secret, specHeaders({ "webhook-timestamp": "hello" }), SPEC.body, AT_SPEC_TIME)).toEqual({ ok: false, reason: "malformed_headers" });
    expect(verifyWebhook(SPEC.secret, specHeaders({ "webhook-signature": SPEC.signature.slice(0, 8) }), SPEC.body, AT_SPEC_TIME)).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyWebhook(SPEC.secret, specHeaders({ "webhook-signature": "v1," }), SPEC.body, AT_SPEC_TIME)).toEqual({ ok: false, reason: "bad_signature" });
    // A v1a (asymmetric) entry is never taken for an HMAC signature.
    expect(verifyWebhook(SPEC.secret, specHeaders({ "webhook-signature": SPEC.signature.replace("v1,", "v1a,") }), SPEC.body, AT_SPEC_TIME).ok).toBe(false);
  });

  it("reads headers whatever their case in a plain object (e.g. a framework that keeps the sender's case)", () => {
    const mixedCase = { "Webhook-Id": SPEC.id, "Webhook-Timestamp": String(SPEC.timestamp), "Webhook-Signature": SPEC.signature };
    expect(verifyWebhook(SPEC.secret, mixedCase, SPEC.body, AT_SPEC_TIME).ok).toBe(true);
  });
});
