// Where the browser tests find the portal and the PostHog stand-in. Shared by playwright.config.ts
// (which starts both) and the specs (which talk to them), so the two cannot disagree. The ports can be
// moved with E2E_PORT, POSTHOG_STAND_IN_PORT and E2E_PG_PORT, e.g. to run a second checkout alongside.

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const BASE_URL = `http://127.0.0.1:${E2E_PORT}`;

export const POSTHOG_STAND_IN_PORT = Number(process.env.POSTHOG_STAND_IN_PORT ?? 4010);
export const POSTHOG_STAND_IN_URL = `http://127.0.0.1:${POSTHOG_STAND_IN_PORT}`;

/** The portal's own embedded PostgreSQL for the browser tests, apart from a developer's .data/pg. */
export const E2E_PG_DIR = process.env.E2E_PG_DIR ?? ".data/e2e-pg";
export const E2E_PG_PORT = Number(process.env.E2E_PG_PORT ?? 54339);

/** Used only by the test server; it never signs a real session. */
export const E2E_NEXTAUTH_SECRET = "e2e-only-secret-0f4c2b7d9a1e6f3c8b5d2a7e9c4f1b6d";
export const E2E_POSTHOG_KEY = "phc_e2e";
/** PostHog's REST API on the stand-in, so account deletions reach it through the outbox as in production. */
export const E2E_POSTHOG_PROJECT_ID = "4242";
export const E2E_POSTHOG_PERSONAL_API_KEY = "phx_e2e";

/** The back-office stand-in (ERP and CRM endpoints) receiving the portal's signed business events; moved with BACKOFFICE_STAND_IN_PORT. */
export const BACKOFFICE_STAND_IN_PORT = Number(process.env.BACKOFFICE_STAND_IN_PORT ?? 12113);
export const BACKOFFICE_STAND_IN_URL = `http://127.0.0.1:${BACKOFFICE_STAND_IN_PORT}`;
/** Test-only Standard Webhooks secrets (24 bytes each): outgoing events, and webhooks the back office sends us. */
export const E2E_BACKOFFICE_SIGNING_SECRET = "whsec_ZTJlLW9ubHktYmFjay1vZmZpY2Utc2lnbmluZw==";
export const E2E_BACKOFFICE_INBOUND_SECRET = "whsec_ZTJlLW9ubHktYmFjay1vZmZpY2UtaW5ib3VuZA==";

/** The Stripe stand-in (checks our side of Stripe's contract, not Stripe) and the test-only keys the portal uses with it. */
export const STRIPE_STAND_IN_PORT = Number(process.env.STRIPE_STAND_IN_PORT ?? 12111);
export const STRIPE_STAND_IN_URL = `http://127.0.0.1:${STRIPE_STAND_IN_PORT}`;
export const E2E_STRIPE_SECRET_KEY = "sk_test_e2e";
export const E2E_STRIPE_WEBHOOK_SECRET = "whsec_e2e_only_stripe_webhook_signing_secret";
export const STRIPE_WEBHOOK_URL = `${BASE_URL}/api/stripe/webhook`;

/** The carrier stand-in booking return labels (moved with CARRIER_STAND_IN_PORT), and the secret the warehouse/carrier signs its webhooks with. */
export const CARRIER_STAND_IN_PORT = Number(process.env.CARRIER_STAND_IN_PORT ?? 12112);
export const CARRIER_STAND_IN_URL = `http://127.0.0.1:${CARRIER_STAND_IN_PORT}`;
export const E2E_CARRIER_WEBHOOK_SECRET = "e2e-only-carrier-webhook-secret-7c1d9e4b";

/** The Twilio-format SMS stand-in (moved with SMS_STAND_IN_PORT) and the test-only account the portal uses with it. */
export const SMS_STAND_IN_PORT = Number(process.env.SMS_STAND_IN_PORT ?? 12114);
export const SMS_STAND_IN_URL = `http://127.0.0.1:${SMS_STAND_IN_PORT}`;
export const E2E_TWILIO_ACCOUNT_SID = "ACe2e0000000000000000000000000000";
export const E2E_TWILIO_AUTH_TOKEN = "e2e-only-twilio-auth-token";
export const E2E_SMS_FROM = "+15005550006";

/** The local mail server the portal sends its emails to (SMTP_CAPTURE_PORT), and where tests read them (SMTP_CAPTURE_HTTP_PORT). */
export const SMTP_CAPTURE_PORT = Number(process.env.SMTP_CAPTURE_PORT ?? 12115);
export const SMTP_CAPTURE_HTTP_PORT = Number(process.env.SMTP_CAPTURE_HTTP_PORT ?? 12116);
export const SMTP_CAPTURE_HTTP_URL = `http://127.0.0.1:${SMTP_CAPTURE_HTTP_PORT}`;
