import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { parseConfig, publicUrl } from "@/lib/config/env";
import { isRefusedStripeError, isTransientStripeError, stripeConfig, stripeErrorCode } from "./stripe";

describe("Stripe configuration", () => {
  it("is off without a secret key, so card payments say they are unavailable", () => {
    expect(stripeConfig(parseConfig({}))).toBeNull();
    expect(stripeConfig(parseConfig({ STRIPE_SECRET_KEY: "" }))).toBeNull();
  });

  it("reads the key, the API base of a stand-in and the webhook secret", () => {
    expect(stripeConfig(parseConfig({ STRIPE_SECRET_KEY: "sk_test_e2e", STRIPE_API_BASE: "http://127.0.0.1:12111", STRIPE_WEBHOOK_SECRET: "whsec_abc" }))).toEqual({
      secretKey: "sk_test_e2e",
      apiBase: new URL("http://127.0.0.1:12111"),
      webhookSecret: "whsec_abc",
    });
  });

  it("refuses settings that would silently talk to the wrong place", () => {
    expect(() => parseConfig({ STRIPE_SECRET_KEY: "pk_test_publishable" })).toThrow(/STRIPE_SECRET_KEY is invalid: must be a Stripe secret key/);
    expect(() => parseConfig({ STRIPE_SECRET_KEY: "sk_test_x", STRIPE_API_BASE: "ftp://stripe.local" })).toThrow(/STRIPE_API_BASE is invalid/);
    expect(() => parseConfig({ STRIPE_SECRET_KEY: "sk_test_x", STRIPE_WEBHOOK_SECRET: "secret" })).toThrow(/whsec_/);
  });

  it("sends customers back to the portal's public URL", () => {
    expect(publicUrl(parseConfig({ NEXTAUTH_URL: "https://portal.example/" }))).toBe("https://portal.example");
    expect(publicUrl(parseConfig({ PORT: "3100" }))).toBe("http://localhost:3100");
  });
});

describe("Stripe errors", () => {
  const raw = (statusCode: number, type: string, extra: Record<string, string> = {}) => Stripe.errors.StripeError.generate({ statusCode, type, message: "x", ...extra } as never);

  it("retries what never reached Stripe or what Stripe could not handle", () => {
    expect(isTransientStripeError(new Stripe.errors.StripeConnectionError({ message: "ECONNREFUSED" } as never))).toBe(true);
    expect(isTransientStripeError(raw(503, "api_error"))).toBe(true);
    expect(isTransientStripeError(raw(429, "invalid_request_error", { code: "rate_limit" }))).toBe(true);
    expect(isTransientStripeError(new Error("Request timed out"))).toBe(true);
  });

  it("recognises an error from another copy of the SDK (a second bundle) by its fields", () => {
    const fromOtherCopy = Object.assign(new Error("Stripe is having trouble"), { type: "StripeAPIError", statusCode: 503 });
    expect(fromOtherCopy).not.toBeInstanceOf(Stripe.errors.StripeError);
    expect(isTransientStripeError(fromOtherCopy)).toBe(true);
    expect(isRefusedStripeError(Object.assign(new Error("No such customer"), { type: "StripeInvalidRequestError", statusCode: 404 }))).toBe(true);
  });

  it("does not retry a decline or a bad request, and names it by Stripe's code", () => {
    const decline = raw(402, "card_error", { code: "card_declined", decline_code: "insufficient_funds" });
    expect(isTransientStripeError(decline)).toBe(false);
    expect(isRefusedStripeError(decline)).toBe(true);
    expect(stripeErrorCode(decline as Stripe.errors.StripeError)).toBe("insufficient_funds");
    const invalid = raw(400, "invalid_request_error", { code: "amount_too_large" });
    expect(isRefusedStripeError(invalid)).toBe(true);
    expect(stripeErrorCode(invalid as Stripe.errors.StripeError)).toBe("amount_too_large");
    expect(isRefusedStripeError(new Error("not from Stripe"))).toBe(false);
  });
});
