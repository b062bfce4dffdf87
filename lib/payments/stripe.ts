// The Stripe seam: the one place that reads Stripe's configuration and creates the client.
// STRIPE_API_BASE points the SDK at another server (the stand-in in tests, e2e/support/stripe-stand-in.ts);
// unset, it talks to api.stripe.com. Retries are the outbox's job, so the SDK itself never retries.
import "server-only";
import Stripe from "stripe";
import { env, type Config } from "@/lib/config/env";

export type StripeConfig = { secretKey: string; apiBase: URL | null; webhookSecret: string | null };

/** A customer-facing call must answer quickly; a slow Stripe is treated like an unreachable one. */
const REQUEST_TIMEOUT_MS = 8000;

/** Null when Stripe is not configured: card payments are then unavailable and say so. */
export function stripeConfig(config: Config = env()): StripeConfig | null {
  const { STRIPE_SECRET_KEY, STRIPE_API_BASE, STRIPE_WEBHOOK_SECRET } = config;
  if (!STRIPE_SECRET_KEY) return null;
  return { secretKey: STRIPE_SECRET_KEY, apiBase: STRIPE_API_BASE ? new URL(STRIPE_API_BASE) : null, webhookSecret: STRIPE_WEBHOOK_SECRET ?? null };
}

/** Stripe's hosted Checkout, where a payment form's redirect sends the browser; the stand-in serves its pages from its API base. */
export function hostedCheckoutOrigins(config: StripeConfig | null): string[] {
  if (!config) return [];
  return config.apiBase ? [config.apiBase.origin] : ["https://checkout.stripe.com"];
}

export function createStripeClient(config: Pick<StripeConfig, "secretKey" | "apiBase">): Stripe {
  const base = config.apiBase;
  return new Stripe(config.secretKey, {
    maxNetworkRetries: 0,
    timeout: REQUEST_TIMEOUT_MS,
    telemetry: false,
    appInfo: { name: "Waymark" },
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port || (base.protocol === "https:" ? 443 : 80)),
          protocol: base.protocol === "https:" ? ("https" as const) : ("http" as const),
        }
      : {}),
  });
}

let cached: { key: string; client: Stripe } | undefined;

/** The process-wide client, or null when Stripe is not configured. */
export function stripeClient(): Stripe | null {
  const config = stripeConfig();
  if (!config) return null;
  const key = `${config.secretKey}@${config.apiBase?.href ?? "api.stripe.com"}`;
  if (cached?.key !== key) cached = { key, client: createStripeClient(config) };
  return cached.client;
}

/**
 * An error the SDK raised for a Stripe answer or a failed request. Recognised by its fields, not
 * with instanceof: a bundler may load the SDK twice (Next's server and SSR graphs), and an error
 * from one copy is not an instance of the other copy's classes.
 */
export function asStripeError(error: unknown): Stripe.errors.StripeError | null {
  if (!(error instanceof Error)) return null;
  const type = (error as { type?: unknown }).type;
  return typeof type === "string" && /^Stripe\w*Error$/.test(type) ? (error as Stripe.errors.StripeError) : null;
}

const TRANSIENT_TYPES = new Set(["StripeConnectionError", "StripeRateLimitError", "StripeAPIError"]);

/**
 * Stripe could not be reached or answered that it is having trouble: nothing we sent was refused, so
 * the same call with the same idempotency key may be tried again later.
 */
export function isTransientStripeError(error: unknown): boolean {
  const stripeError = asStripeError(error);
  if (stripeError) return TRANSIENT_TYPES.has(stripeError.type) || (stripeError.statusCode ?? 0) >= 500 || stripeError.statusCode === 409;
  // Timeouts and resets surface as plain errors from the HTTP client.
  return error instanceof Error && /ECONNREFUSED|ECONNRESET|ETIMEDOUT|timed? ?out|socket hang up/i.test(error.message);
}

/** Stripe refused what we asked (card declined, bad request): trying again with the same request will not help. */
export function isRefusedStripeError(error: unknown): error is Stripe.errors.StripeError {
  return asStripeError(error) !== null && !isTransientStripeError(error);
}

/** A short, machine-readable reason for the trail and the database (never Stripe's free text). */
export function stripeErrorCode(error: Stripe.errors.StripeError): string {
  const code = error.decline_code ?? error.code ?? error.type;
  return /^[a-z0-9_]{1,64}$/.test(code) ? code : "stripe_error";
}
