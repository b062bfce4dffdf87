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
