import { defineConfig, devices, type LaunchOptions } from "@playwright/test";
import {
  BACKOFFICE_STAND_IN_PORT,
  BACKOFFICE_STAND_IN_URL,
  BASE_URL,
  CARRIER_STAND_IN_PORT,
  CARRIER_STAND_IN_URL,
  E2E_CARRIER_WEBHOOK_SECRET,
  E2E_BACKOFFICE_INBOUND_SECRET,
  E2E_BACKOFFICE_SIGNING_SECRET,
  E2E_NEXTAUTH_SECRET,
  E2E_PG_DIR,
  E2E_PG_PORT,
  E2E_PORT,
  E2E_POSTHOG_KEY,
  E2E_POSTHOG_PERSONAL_API_KEY,
  E2E_POSTHOG_PROJECT_ID,
  POSTHOG_STAND_IN_PORT,
  POSTHOG_STAND_IN_URL,
  E2E_SMS_FROM,
  E2E_STRIPE_SECRET_KEY,
  E2E_STRIPE_WEBHOOK_SECRET,
  E2E_TWILIO_ACCOUNT_SID,
  E2E_TWILIO_AUTH_TOKEN,
  SMS_STAND_IN_PORT,
  SMS_STAND_IN_URL,
  SMTP_CAPTURE_HTTP_PORT,
  SMTP_CAPTURE_HTTP_URL,
  SMTP_CAPTURE_PORT,
  STRIPE_STAND_IN_PORT,
  STRIPE_STAND_IN_URL,
  STRIPE_WEBHOOK_URL,
} from "./e2e/support/env";
import { findChromium } from "./scripts/support/chromium";

const isCI = Boolean(process.env.CI);

// Debian's chromium rather than Playwright's download, which cannot be fetched offline.
const launchOptions: LaunchOptions = {
  executablePath: findChromium(),
  args: [
    "--no-sandbox", // CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    // Makes navigator.webdriver false: posthog-js silently drops every event from a "bot" otherwise.
    "--disable-blink-features=AutomationControlled",
  ],
};

export default defineConfig({
  testDir: "e2e",
  outputDir: "e2e/.artifacts/test-results",
  // Generous limits for slow or loaded machines: a passing test never waits for them (every wait ends
  // when its condition holds), a failing one is reported a little later.
  timeout: 120_000,
  expect: { timeout: 20_000 },
  // Two spec files at a time (tests within a file keep their order). Every test has customers and
  // orders of its own, and a stand-in outage is scoped to one test's data or kept short, so files
  // do not disturb each other; on 2 cores this takes about a third off the browser suite's time.
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: isCI,
  reporter: [["list"], ["html", { open: "never", outputFolder: "e2e/.artifacts/report" }]],
  use: {
    baseURL: BASE_URL,
    // Off: recording a trace of every test (to keep the failing ones) took a fifth to a third of
    // each test's time on 2 cores (orders and payments: 204-208 s of tests without, 255-295 s with).
    // To look into a failure: `npx playwright test <file>:<line> --trace on`.
    trace: "off",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], launchOptions } },
    // Everything a phone shows differently; tests tagged as the same on every viewport run on desktop only.
    { name: "mobile-android", grepInvert: /@same-on-every-viewport/, use: { ...devices["Pixel 7"], launchOptions } },
    // iPhone descriptors default to WebKit, which cannot be installed offline: same viewport, touch and UA on Chromium.
    // Being Chromium too, it would only repeat the Android project's walks at 393 px instead of 412 px:
    // it runs the layout checks (tests about fitting the screen), which is where the width matters.
    { name: "mobile-iphone", grep: /screen/, grepInvert: /@same-on-every-viewport/, use: { ...devices["iPhone 15"], browserName: "chromium", defaultBrowserType: "chromium", launchOptions } },
    // docs/screens/ for the README: skipped unless WAYMARK_SCREENS is set (`npm run screens`).
    { name: "screens", testMatch: /screens\.capture\.ts/, use: { browserName: "chromium", launchOptions } },
    // Runs after every browser project: scans all they sent to PostHog for personal data.
    { name: "privacy", testMatch: /privacy\.check\.ts/, dependencies: ["desktop", "mobile-android", "mobile-iphone"], use: { launchOptions } },
  ],
  webServer: [
    {
      command: `npx tsx e2e/support/backoffice-stand-in.ts --port ${BACKOFFICE_STAND_IN_PORT} --secret ${E2E_BACKOFFICE_SIGNING_SECRET}`,
      url: `${BACKOFFICE_STAND_IN_URL}/_health`,
      reuseExistingServer: !isCI,
      timeout: 120_000,
      stdout: "pipe",
    },
    {
      // Payments the demo seed pretends were taken earlier (pi_seed_…) exist in the stand-in on first use.
      command: `npx tsx e2e/support/stripe-stand-in.ts --port ${STRIPE_STAND_IN_PORT} --webhook-url ${STRIPE_WEBHOOK_URL} --webhook-secret ${E2E_STRIPE_WEBHOOK_SECRET} --webhook-delay-ms 250 --adopt-prefix pi_seed_`,
      url: `${STRIPE_STAND_IN_URL}/_health`,
      reuseExistingServer: !isCI,
      timeout: 120_000,
      stdout: "pipe",
    },
    {
      command: `npx tsx e2e/support/carrier-stand-in.ts --port ${CARRIER_STAND_IN_PORT}`,
      url: `${CARRIER_STAND_IN_URL}/_health`,
      reuseExistingServer: !isCI,
      timeout: 120_000,
      stdout: "pipe",
    },
    {
      command: `npx tsx e2e/support/sms-stand-in.ts --port ${SMS_STAND_IN_PORT} --account-sid ${E2E_TWILIO_ACCOUNT_SID} --auth-token ${E2E_TWILIO_AUTH_TOKEN}`,
      url: `${SMS_STAND_IN_URL}/_health`,
      reuseExistingServer: !isCI,
      timeout: 120_000,
      stdout: "pipe",
    },
    {
      command: `npx tsx e2e/support/smtp-capture.ts --port ${SMTP_CAPTURE_PORT} --http-port ${SMTP_CAPTURE_HTTP_PORT}`,
      url: `${SMTP_CAPTURE_HTTP_URL}/_health`,
      reuseExistingServer: !isCI,
      timeout: 120_000,
      stdout: "pipe",
    },
    {
      command: `npx tsx e2e/support/posthog-stand-in.ts --port ${POSTHOG_STAND_IN_PORT}`,
      url: `${POSTHOG_STAND_IN_URL}/_health`,
      reuseExistingServer: !isCI,
      timeout: 120_000,
      stdout: "pipe",
    },
    {
      // A developer's DATABASE_URL must not receive the demo data (and --fresh only wipes the embedded
      // directory without it); ABANDON_AFTER_MINUTES keeps its default so journey timings are the real ones.
      command: "env -u DATABASE_URL -u ABANDON_AFTER_MINUTES npx tsx --import ./scripts/support/outside-next.mjs scripts/start.ts --fresh",
      url: `${BASE_URL}/api/health`,
      // Migrating and seeding a fresh database, plus a build when the sources changed since `npm test` built:
      // about 30 s on a quiet machine, minutes on a loaded one.
      timeout: 600_000,
      reuseExistingServer: !isCI,
      stdout: "pipe",
      // SIGTERM lets the launcher shut PostgreSQL down cleanly; Playwright's default is SIGKILL.
      gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
      env: {
        WAYMARK_PG_DIR: E2E_PG_DIR,
        WAYMARK_PG_PORT: String(E2E_PG_PORT),
        PORT: String(E2E_PORT),
        HOST: "127.0.0.1",
        NEXTAUTH_URL: BASE_URL,
        NEXTAUTH_SECRET: E2E_NEXTAUTH_SECRET,
        WAYMARK_DEV_MAILBOX: "1",
        // Every test browser is the one client 127.0.0.1; per-account budgets still apply as shipped.
        CLIENT_BUDGET_MULTIPLIER: "100",
        POSTHOG_HOST: POSTHOG_STAND_IN_URL,
        POSTHOG_KEY: E2E_POSTHOG_KEY,
        POSTHOG_API_HOST: POSTHOG_STAND_IN_URL,
        POSTHOG_PROJECT_ID: E2E_POSTHOG_PROJECT_ID,
        POSTHOG_PERSONAL_API_KEY: E2E_POSTHOG_PERSONAL_API_KEY,
        NEXT_TELEMETRY_DISABLED: "1",
        // Everyone gets help in place in the browser tests (no hold-out group to draw by chance).
        INTERVENTION_HOLDOUT_PERCENT: "0",
        // What a test waits for in the background is looked for often: the duties nobody kicks (back-office
        // webhooks, PostHog person deletion, the retry of a delivery after its backoff) and the insights
        // rollups a test reads. The waits end when their condition holds either way; the defaults would
        // only add up to 2 s (outbox) and 5 s (rollups) to each of them.
        OUTBOX_INTERVAL_MS: "500",
        INSIGHTS_REFRESH_INTERVAL_MS: "500",
        // Two back-office endpoints on the stand-in, so each is seen to be delivered on its own.
        BACKOFFICE_ENDPOINTS: `erp=${BACKOFFICE_STAND_IN_URL}/erp,crm=${BACKOFFICE_STAND_IN_URL}/crm`,
        BACKOFFICE_SIGNING_SECRET: E2E_BACKOFFICE_SIGNING_SECRET,
        BACKOFFICE_INBOUND_SECRET: E2E_BACKOFFICE_INBOUND_SECRET,
        STRIPE_SECRET_KEY: E2E_STRIPE_SECRET_KEY,
        STRIPE_API_BASE: STRIPE_STAND_IN_URL,
        STRIPE_WEBHOOK_SECRET: E2E_STRIPE_WEBHOOK_SECRET,
        CARRIER_API_BASE: CARRIER_STAND_IN_URL,
        CARRIER_WEBHOOK_SECRET: E2E_CARRIER_WEBHOOK_SECRET,
        UPLOADS_DIR: ".data/e2e-uploads",
        // Emails go out over SMTP to the local capture (and stay readable at /dev/mailbox); texts to the SMS stand-in.
        SMTP_URL: `smtp://127.0.0.1:${SMTP_CAPTURE_PORT}`,
        TWILIO_ACCOUNT_SID: E2E_TWILIO_ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: E2E_TWILIO_AUTH_TOKEN,
        SMS_FROM: E2E_SMS_FROM,
        SMS_API_BASE: SMS_STAND_IN_URL,
      },
    },
  ],
});
