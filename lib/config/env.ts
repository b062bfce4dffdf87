// Every environment variable Waymark reads, declared once: its schema, its default and what it means.
// The processes parse it when they start (scripts/start.ts, scripts/serve.ts, scripts/worker.ts) and
// stop with one line naming a bad value; everything else asks `env()`, which parses the same way.
// Nothing else in app/, lib/, components/ or scripts/ reads process.env (eslint.config.mjs says so);
// the exceptions are the NEXT_PUBLIC_* values Next.js inlines at build time (./public.ts) and the
// tool configuration files (next.config.ts, prisma.config.ts, playwright.config.ts).
// The README's Configuration table is generated from these declarations: `npm run docs:config`.
import { z } from "zod";
import { DEFAULT_POSTHOG_BROWSER_KEY, DEFAULT_SUPPORT_EMAIL, DEFAULT_SUPPORT_PHONE } from "./public";

type Declaration = {
  schema: z.ZodType;
  /** The default as the README shows it. */
  default: string;
  meaning: string;
  /** Never repeated in an error message. */
  secret?: boolean;
};

/** Whole numbers only: `Number("1e3")` or `Number(" ")` would slip through as numbers. */
function wholeNumber(min: number, max: number, unit = "") {
  const message = `must be a whole number${unit} from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d+$/, message)
    .transform(Number)
    .refine((n) => n >= min && n <= max, message);
}

const port = () => wholeNumber(1, 65_535);
const flag = z.enum(["0", "1"], { error: "must be 1 (on) or 0 (off)" }).transform((value) => value === "1");
const httpUrl = (example: string) => z.url({ protocol: /^https?$/, error: `must be an http(s) URL such as ${example}` }).transform((url) => url.replace(/\/+$/, ""));
const text = z.string().min(1);
const postgresUrl = z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgresql:// URL (postgresql://user:password@host:5432/database)" });

/** Spec: random, at least 24 bytes, base64 behind "whsec_". */
export const webhookSecretSchema = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, "must be whsec_ followed by base64")
  .refine((secret) => Buffer.from(secret.slice(6), "base64").length >= 24, "must hold at least 24 random bytes");

const backOfficeEndpointSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "endpoint names are lower-case letters, digits, '-' and '_' (at most 32)"),
  url: z.url({ protocol: /^https?$/, error: "endpoint URLs must be http(s) URLs" }),
  secret: webhookSecretSchema.optional(),
});

/** `name=url` pairs (`erp=https://…,crm=https://…`) or a JSON list (`[{"name":"erp","url":"https://…","secret":"whsec_…"}]`). */
function namedUrlList(raw: string): unknown {
  if (raw.startsWith("[")) {
    try {
      return JSON.parse(raw);
    } catch {
      return "not JSON";
    }
  }
  return raw
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.indexOf("=");
      return at < 0 ? { name: entry, url: "" } : { name: entry.slice(0, at).trim(), url: entry.slice(at + 1).trim() };
    });
}

const backOfficeEndpointsSchema = z
  .string()
  .transform(namedUrlList)
  .pipe(z.array(backOfficeEndpointSchema, { error: "must be name=url pairs or a JSON list of endpoints" }))
  .refine((endpoints) => new Set(endpoints.map((e) => e.name)).size === endpoints.length, "endpoint names must be unique");

/** The profile's handle: the last part of its address ("https://x.com/waymarkhelp", "https://www.tiktok.com/@waymark"), or "" for none. */
function handleOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.split("/").filter(Boolean).at(-1) ?? "").replace(/^@/, "");
  } catch {
    return "";
  }
}

// The accounts the help page names and links. Only a profile's plain address: a link copied from an
// app carries ?utm_…, share tokens or #…, which would reach every visitor's browser and the network.
const socialAccountSchema = z
  .object({
    name: z.string().regex(/^\p{L}[\p{L}\p{N} .+-]{0,29}$/u, "network names are up to 30 letters, digits and spaces, like X or Instagram"),
    url: z
      .url({ protocol: /^https$/, error: "profile addresses must be https URLs" })
      .refine((url) => !/[?#]/.test(url), "profile addresses carry no ?… or #… (tracking and share tokens stay out of the page)")
      .refine((url) => handleOf(url) !== "", "a profile address ends with its handle, like https://x.com/waymarkhelp"),
  })
  .transform(({ name, url }) => ({ network: name, url, handle: `@${handleOf(url)}` }));

const socialAccountsSchema = z
  .string()
  .transform((raw) => (raw === "none" ? [] : namedUrlList(raw)))
  .pipe(z.array(socialAccountSchema, { error: "must be network=profile-address pairs, or none" }));

/**
 * The declarations, in the README's order. A variable left unset or empty takes its default (or
 * stays undefined when it has none).
 */
export const VARIABLES = {
  DATABASE_URL: {
    schema: postgresUrl.optional(),
    default: "unset: embedded PostgreSQL",
    meaning: "`postgresql://…` of your own server; then no database is started",
    secret: true,
  },
  DATABASE_LISTEN_URL: {
    schema: postgresUrl.optional(),
    default: "unset: `DATABASE_URL`",
    meaning:
      "where each web replica's one connection listening for agents' offers of help goes (`LISTEN reach_out`): the PostgreSQL server itself, or a session-pooling PgBouncer, when `DATABASE_URL` goes through a transaction-pooling one, which does not carry notifications",
    secret: true,
  },
  PORT: { schema: port().default(3000), default: "`3000`", meaning: "where `npm start` serves" },
  HOST: { schema: text.optional(), default: "`0.0.0.0` (`127.0.0.1` when `CI` is set)", meaning: "the address `npm start` listens on" },
  CI: { schema: z.string().optional(), default: "unset", meaning: "set by CI services: `npm start` then listens on `127.0.0.1` unless `HOST` says otherwise" },
  NEXTAUTH_SECRET: { schema: text.optional(), default: "generated into `.data/` for the embedded database", meaning: "required with `DATABASE_URL`; at least 32 characters (`npm start` refuses a shorter one)", secret: true },
  NEXTAUTH_URL: {
    schema: httpUrl("https://portal.example.com").optional(),
    default: "`http://localhost:$PORT`",
    meaning: "the portal's public URL: links in emails and the return address of Stripe's hosted pages (never taken from a request's Host header)",
  },
  WAYMARK_PG_DIR: { schema: text.default(".data/pg"), default: "`.data/pg`", meaning: "the embedded server's data directory (its password beside it in `<dir>.password`)" },
  WAYMARK_PG_PORT: { schema: port().default(54329), default: "`54329`", meaning: "the embedded server's port" },
  WAYMARK_DEBUG: { schema: flag.default(false), default: "`0`", meaning: "`1`: a failed `npm start` prints the full error after its one-line explanation" },
  WAYMARK_DEMO_DATA: { schema: flag.default(false), default: "`1` only on the embedded database", meaning: "`1` loads the demo data into an empty `DATABASE_URL` database" },
  WAYMARK_DEV_MAILBOX: {
    schema: flag.default(false),
    default: "`0`: off",
    meaning: "`1` shows `/dev/mailbox` (every queued email of every account) to browsers on this machine only, for trying the demo; never set it on a shared or public server",
  },
  CLIENT_BUDGET_MULTIPLIER: {
    schema: wholeNumber(1, 10_000).default(1),
    default: "`1`",
    meaning:
      "multiplies every per-client budget (sign-in, reset, sign-up, email change, contact forms; see SECURITY.md), for many customers behind one address; per-account and per-address budgets never change. The browser tests set it (every test browser is 127.0.0.1)",
  },
  TRUST_PROXY_HOPS: {
    schema: wholeNumber(0, 5).default(0),
    default: "`0`",
    meaning:
      "how many reverse proxies of your own (load balancer, CDN) stand in front of the portal; the client's address, which sign-in and form limits count by, is then read from `X-Forwarded-For` that many entries from the right. With `0` it is the connection's address and `X-Forwarded-For` is ignored, and so is a client's `X-Forwarded-Host` (which a form's `Origin` is checked against: set it at your proxy). Set it to exactly the number of proxies that append to the header, and let clients reach the portal only through them",
  },
  SMTP_URL: {
    schema: z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL such as smtp://user:password@mail.example:587" }).optional(),
    default: "unset: emails kept in the database",
    meaning: "deliver emails by SMTP",
    secret: true,
  },
  MAIL_FROM: { schema: text.default("Waymark <no-reply@waymark.example>"), default: "`Waymark <no-reply@waymark.example>`", meaning: "sender of emails sent over `SMTP_URL`" },
  POSTHOG_HOST: { schema: httpUrl("https://eu.i.posthog.com").optional(), default: "unset", meaning: "PostHog's ingestion host: with `POSTHOG_KEY`, the trail is forwarded to PostHog" },
  POSTHOG_KEY: { schema: text.optional(), default: "unset", meaning: "PostHog project key (`phc_…`) the trail is forwarded with" },
  POSTHOG_PROJECT_ID: {
    schema: z.string().regex(/^(\d+|@current)$/, "must be the numeric project id (PostHog → Settings → Project → Project ID)").optional(),
    default: "unset: deletions wait in the outbox",
    meaning:
      "PostHog's REST API project, with `POSTHOG_PERSONAL_API_KEY`: deleted accounts are deleted from PostHog with their events, and `npm run posthog:funnels` syncs the funnels. Required whenever `POSTHOG_HOST`/`POSTHOG_KEY` are set: without it `/agent/health` shows person deletion as Down and the worker warns at start",
  },
  POSTHOG_PERSONAL_API_KEY: {
    schema: text.optional(),
    default: "unset: deletions wait in the outbox",
    meaning: "a PostHog personal API key (`phx_…`) with the `person:write` scope (`npm run posthog:funnels` also needs insight and dashboard write)",
    secret: true,
  },
  POSTHOG_API_HOST: {
    schema: httpUrl("https://eu.posthog.com").default("https://us.posthog.com"),
    default: "`https://us.posthog.com`",
    meaning: "PostHog's app host for the REST API (e.g. `https://eu.posthog.com`, or your own), not the ingestion host",
  },
  INTERVENTION_FLAG: {
    schema: text.optional(),
    default: "unset: local hold-out",
    meaning: "a PostHog feature flag deciding who gets help in place (`false`/`control` = hold-out); never asked for customers who declined analytics",
  },
  INTERVENTION_HOLDOUT_PERCENT: {
    schema: wholeNumber(0, 100, " of percent").default(10),
    default: "`10`",
    meaning: "share of customers (stable per customer) kept as a hold-out that gets no help in place, so its lift can be measured; the browser tests set `0`",
  },
  NOTICE_HOLDOUT_PERCENT: {
    schema: wholeNumber(0, 100, " of percent").default(10),
    default: "`10`",
    meaning: "share of orders (stable per order and notice type) that get no proactive notice (late order, late refund, return window closing) but are recorded as held out, so /insights/help can show the notices' lift",
  },
  INGEST_REQUESTS_PER_MINUTE: {
    // A browser tab sends a request every few seconds; a page load a handful at once.
    schema: wholeNumber(1, 1_000_000).default(1200),
    default: "`1200`",
    meaning: "requests each client may make to the anonymous `/ingest` endpoint per minute, counted by each web replica on its own (then 429)",
  },
  REACH_OUT_STREAMS_PER_CUSTOMER: {
    schema: wholeNumber(1, 100).default(8),
    default: "`8`",
    meaning:
      "pages (tabs in view) one customer may hold open on one web replica waiting for an agent's offer of help; one more is answered 503 and asks every 30 seconds instead, so one account cannot hold unbounded connections",
  },
  REACH_OUT_STREAMS_PER_PROCESS: {
    schema: wholeNumber(1, 1_000_000).default(5000),
    default: "`5000`",
    meaning: "pages each web replica holds open at most waiting for offers of help, whoever they belong to; past it, as above",
  },
  NEXT_PUBLIC_POSTHOG_KEY: { schema: text.default(DEFAULT_POSTHOG_BROWSER_KEY), default: `\`${DEFAULT_POSTHOG_BROWSER_KEY}\``, meaning: "posthog-js project key (read at build time)" },
  ABANDON_AFTER_MINUTES: { schema: wholeNumber(1, 10_080, " of minutes").default(30), default: "`30`", meaning: "idle time before a journey counts as abandoned" },
  CONTACT_LINK_WINDOW_HOURS: { schema: wholeNumber(1, 8_760, " of hours").default(72), default: "`72`", meaning: "how far back an inbound contact looks for the journey it came from" },
  OUTBOX_INTERVAL_MS: {
    schema: wholeNumber(10, 3_600_000, " of milliseconds").default(2000),
    default: "`2000`",
    meaning: "how often the delivery duties run (sooner when a web process has just queued something); also how often workers look for jobs that came due",
  },
  OUTBOX_LEASE_SECONDS: {
    schema: wholeNumber(1, 3_600, " of seconds").default(60),
    default: "`60`",
    meaning: "how long a worker holds what it is delivering; what a worker that died mid-delivery held goes to the others after this",
  },
  WORKER_HEARTBEAT_SECONDS: {
    schema: wholeNumber(1, 300, " of seconds").default(10),
    default: "`10`",
    meaning: "how often each worker records that it is alive; after three missed beats it counts as gone (red on `/agent/health`) and the other workers release the jobs it held",
  },
  ABANDON_CHECK_INTERVAL_MS: {
    schema: wholeNumber(10, 86_400_000, " of milliseconds").default(60_000),
    default: "`60000`",
    meaning: "how often a worker looks for journeys idle for `ABANDON_AFTER_MINUTES`",
  },
  INSIGHTS_REFRESH_INTERVAL_MS: {
    schema: wholeNumber(100, 3_600_000, " of milliseconds").default(5000),
    default: "`5000`",
    meaning: "how often a worker recomputes the insights rollups of attempts that changed",
  },
  WAYMARK_SEED: { schema: wholeNumber(0, 2 ** 31 - 1).default(42), default: "`42`", meaning: "seed of the demo data generator (same seed, same demo shop and trail)" },
  WAYMARK_TRAIL_DISABLED: { schema: flag.default(false), default: "`0`", meaning: "benchmarks only: `1` records no trail step, to measure the trail's own cost" },
  MIGRATE_DEBUG: { schema: flag.default(false), default: "`0`", meaning: "`1` prints the schema engine's log while migrating" },
  NEXT_DIST_DIR: { schema: text.default(".next"), default: "`.next`", meaning: "build folder, so two checkouts' browser suites can run side by side" },
  WAYMARK_BUILD_TYPECHECKED: {
    schema: flag.default(false),
    default: "`0`",
    meaning: "build only: `1` makes `next build` skip its own type check; `npm run build -- --typechecked` sets it for its build, as `npm test` does after its `npm run typecheck` (`next typegen`, then `tsc`) has checked the same files, route types included",
  },
  BACKOFFICE_ENDPOINTS: {
    schema: backOfficeEndpointsSchema.optional(),
    default: "unset: events wait in the outbox",
    meaning:
      'back-office endpoints (ERP, CRM) that receive signed business-event webhooks: `erp=https://…,crm=https://…` or JSON `[{"name":"erp","url":"https://…","secret":"whsec_…"}]`; each endpoint is retried on its own and dead letters are replayed from `/agent/outbox`',
    secret: true,
  },
  BACKOFFICE_SIGNING_SECRET: {
    schema: webhookSecretSchema.optional(),
    default: "unset",
    meaning:
      "shared Standard Webhooks secret (`whsec_` + base64 of at least 24 random bytes) for endpoints without their own; receivers can copy `lib/integrations/backoffice-signature.ts` (`verifyWebhook`) and de-duplicate by `webhook-id`",
    secret: true,
  },
  SOCIAL_INBOUND_SECRET: {
    schema: webhookSecretSchema.optional(),
    default: "unset: answered 503",
    meaning: "secret (`whsec_…`) the social-listening tool signs `/api/social/webhook` with (`social.mention`; Standard Webhooks headers, at most 5 minutes old)",
    secret: true,
  },
  SOCIAL_ACCOUNTS: {
    schema: socialAccountsSchema.prefault("X=https://x.com/waymarkhelp"),
    default: "`X=https://x.com/waymarkhelp` (the demo's)",
    meaning:
      "the social media accounts customers can message, as `/help/social` names and links them: `Network=https://profile-address` pairs (`X=https://x.com/you,Instagram=https://www.instagram.com/you`), the handle being the address's last part; plain https addresses only (no `?…` or `#…`); `none`: the page says we are not on social media and points to the help centre",
  },
  NEXT_PUBLIC_SUPPORT_PHONE: {
    schema: z
      .string()
      .regex(/^\+\d[\d ]{5,18}\d$/, "must be the number as customers read it, with its country code, such as +44 1234 567890")
      .default(DEFAULT_SUPPORT_PHONE),
    default: `\`${DEFAULT_SUPPORT_PHONE}\` (the demo's)`,
    meaning:
      "the phone number customers can call, as written on the help pages, the help entry of every page, the page shown when the portal fails, emails, texts and refusals (read at build time: `npm start` builds again when it changes)",
  },
  NEXT_PUBLIC_SUPPORT_EMAIL: {
    schema: z.email({ error: "must be an email address such as help@example.com" }).default(DEFAULT_SUPPORT_EMAIL),
    default: `\`${DEFAULT_SUPPORT_EMAIL}\` (the demo's)`,
    meaning: "the email address customers can write to, on the help pages, the help entry of every page and security emails (read at build time, as the phone number)",
  },
  BACKOFFICE_INBOUND_SECRET: {
    schema: webhookSecretSchema.optional(),
    default: "unset: answered 503",
    meaning: "secret (`whsec_…`) the back office signs `/api/backoffice/webhook` with (`order.status_changed`, `shipment.event`; Standard Webhooks headers, at most 5 minutes old)",
    secret: true,
  },
  CARRIER_API_BASE: {
    schema: httpUrl("https://carrier.example/api").optional(),
    default: "unset",
    meaning: 'the carrier API that books return labels, drop-off codes and pickups, and calls off those of returns cancelled afterwards; unset, returns are still accepted and their labels (and call-offs) wait in the outbox ("label on its way"), except on the embedded demo, where `npm start` books them with a demo carrier on this machine',
  },
  CARRIER_API_KEY: { schema: text.optional(), default: "unset", meaning: "the key sent to `CARRIER_API_BASE`", secret: true },
  CARRIER_WEBHOOK_SECRET: {
    schema: text.optional(),
    default: "unset",
    meaning: "HMAC-SHA256 secret the warehouse/carrier signs `/api/carrier/webhook` with; unset, every carrier webhook is refused",
    secret: true,
  },
  TWILIO_ACCOUNT_SID: {
    schema: text.optional(),
    default: "unset: text messages wait in the outbox",
    meaning: "the SMS provider's account (`AC…`), with `TWILIO_AUTH_TOKEN`; customers who chose order updates by text message get them through Twilio's Messages API",
  },
  TWILIO_AUTH_TOKEN: { schema: text.optional(), default: "unset", meaning: "the SMS provider's auth token", secret: true },
  SMS_FROM: { schema: text.optional(), default: "unset (required with `TWILIO_ACCOUNT_SID`)", meaning: "the sender: a phone number in E.164 (`+447700900123`) or a Twilio messaging service SID (`MG…`)" },
  SMS_API_BASE: {
    schema: httpUrl("https://api.twilio.com").default("https://api.twilio.com"),
    default: "`https://api.twilio.com`",
    meaning: "another server speaking Twilio's Messages API, e.g. the test stand-in (`e2e/support/sms-stand-in.ts`)",
  },
  UPLOADS_DIR: { schema: text.default(".data/uploads"), default: "`.data/uploads`", meaning: "where customers' return photos are stored (outside the web root; served only to their owner and agents)" },
  RETURN_PHOTO_UPLOADS_PER_HOUR: {
    schema: wholeNumber(1, 10_000, " of uploads").default(30),
    default: "`30`",
    meaning: "return photos one account may upload per hour; more are refused (429) until the hour has passed",
  },
  RETURN_PHOTO_UNUSED_MAX: {
    schema: wholeNumber(1, 1000, " of photos").default(10),
    default: "`10`",
    meaning: "return photos an account may keep that no return uses yet; a further upload is refused (429) until a return uses one or the cleanup removes them",
  },
  RETURN_PHOTO_UNUSED_HOURS: {
    schema: wholeNumber(1, 8760, " of hours").default(24),
    default: "`24`",
    meaning: "how long an uploaded return photo that no return uses is kept before the worker's `return-photo-cleanup` duty removes it",
  },
  STRIPE_SECRET_KEY: {
    schema: z.string().regex(/^(sk|rk)_(test|live)_\w+$/, "must be a Stripe secret key (sk_test_… or sk_live_…)").optional(),
    default: "unset: card payments unavailable",
    meaning:
      "Stripe secret key (`sk_test_…`/`sk_live_…`) for saved cards, balance payments, refunds and authorisation releases; unset, the pages say card payments are unavailable and refunds wait in the outbox",
    secret: true,
  },
  STRIPE_WEBHOOK_SECRET: {
    schema: z.string().startsWith("whsec_", "must be a webhook signing secret (whsec_…)").optional(),
    default: "unset: webhooks answered 503",
    meaning: "signing secret (`whsec_…`) of the Stripe endpoint pointing at `/api/stripe/webhook`; orders only move when a signed webhook confirms the money",
    secret: true,
  },
  STRIPE_API_BASE: {
    schema: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
    default: "unset: `https://api.stripe.com`",
    meaning: "another Stripe API server, e.g. the test stand-in (`e2e/support/stripe-stand-in.ts`, which checks our side of the contract, not Stripe's behaviour)",
  },
  CHROMIUM_PATH: {
    schema: text.optional(),
    default: "unset: Playwright's Chromium, else `/usr/bin/chromium`",
    meaning: "tests only: the Chromium the browser tests drive",
  },
} satisfies Record<string, Declaration>;

export type VariableName = keyof typeof VARIABLES;
export type Config = { [K in VariableName]: z.output<(typeof VARIABLES)[K]["schema"]> };

/**
 * Read by the test suites themselves (e2e/, tests/), never by the portal; declared here only so the
 * README lists every variable in one table.
 */
export const TEST_VARIABLES: Record<string, Omit<Declaration, "schema">> = {
  STRIPE_LIVE_SECRET_KEY: { default: "unset: live check skipped", meaning: "tests only: a `sk_test_…` key runs `tests/stripe-live/` against Stripe's real test mode (needs internet)" },
  BACKOFFICE_STAND_IN_PORT: { default: "`12113`", meaning: "browser tests only: where Playwright starts the back-office stand-in" },
  STRIPE_STAND_IN_PORT: { default: "`12111`", meaning: "browser tests only: where Playwright starts the Stripe stand-in (move it to run two checkouts side by side)" },
  SMS_STAND_IN_PORT: { default: "`12114`", meaning: "browser tests only: where Playwright starts the SMS stand-in" },
  SMTP_CAPTURE_PORT: { default: "`12115`", meaning: "browser tests only: where Playwright starts the local SMTP capture the portal sends its emails to" },
  SMTP_CAPTURE_HTTP_PORT: { default: "`12116`", meaning: "browser tests only: the HTTP port tests read the captured emails from" },
};

/** A configuration that cannot be right; its message is one line naming each bad variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

type Source = Record<string, string | undefined>;

/** Rules between variables, checked once each variable is valid on its own. */
function crossChecks(config: Config): string[] {
  const problems: string[] = [];
  if (Boolean(config.POSTHOG_PROJECT_ID) !== Boolean(config.POSTHOG_PERSONAL_API_KEY)) {
    const missing = config.POSTHOG_PROJECT_ID ? "POSTHOG_PERSONAL_API_KEY" : "POSTHOG_PROJECT_ID";
    problems.push(`${missing} is not set: POSTHOG_PROJECT_ID and POSTHOG_PERSONAL_API_KEY work together (PostHog → Settings → Project ID, and Personal API keys)`);
  }
  const withoutSecret = (config.BACKOFFICE_ENDPOINTS ?? []).filter((e) => !e.secret && !config.BACKOFFICE_SIGNING_SECRET).map((e) => e.name);
  if (withoutSecret.length) problems.push(`BACKOFFICE_SIGNING_SECRET is required: no secret for ${withoutSecret.join(", ")}`);
  return problems;
}

/** Parses every declared variable of `source`; throws a ConfigError naming each bad one. */
export function parseConfig(source: Source): Config {
  const problems: string[] = [];
  const parsed: Record<string, unknown> = {};
  for (const [name, declaration] of Object.entries(VARIABLES) as [VariableName, Declaration][]) {
    const raw = source[name]?.trim() || undefined;
    const result = declaration.schema.safeParse(raw);
    if (result.success) parsed[name] = result.data;
    else {
      const reasons = [...new Set(result.error.issues.map((issue) => issue.message))].join("; ");
      // Secrets (and URLs that carry passwords) are never repeated.
      problems.push(`${name} is invalid: ${reasons}${declaration.secret ? "" : ` (got "${raw}")`}`);
    }
  }
  if (!problems.length) problems.push(...crossChecks(parsed as Config));
  if (problems.length) throw new ConfigError(problems.join("; "));
  return parsed as Config;
}

let cached: { key: string; config: Config } | undefined;
// The configurations parsed for the last few sets of values: a process that switches a variable
// back and forth parses each set once (`npm run bench` turns WAYMARK_TRAIL_DISABLED on and off
// around every task it times, and parsing the whole configuration again each time put 0.3 ms of
// the benchmark's own into every task, both halves of each pair).
const PARSED_KEPT = 4;
const parsed = new Map<string, Config>();

/**
 * The process's configuration. Parsed again only when a declared variable changed (tests set some
 * before they start the code under test), so each call is a cheap lookup. A production server's
 * configuration cannot change under it (its processes get theirs when they are spawned): there the
 * first reading is kept, and a request no longer reads every declared variable again on each of its
 * several calls to find that out (process.env is a slow lookup, about 0.5 % of a signed-in page's CPU).
 */
export function env(): Config {
  if (cached && process.env.NODE_ENV === "production") return cached.config;
  const key = Object.keys(VARIABLES)
    .map((name) => process.env[name] ?? "\0")
    .join("\n");
  if (cached?.key === key) return cached.config;
  const config = parsed.get(key) ?? parseConfig(process.env);
  parsed.delete(key);
  parsed.set(key, config);
  if (parsed.size > PARSED_KEPT) parsed.delete(parsed.keys().next().value!);
  cached = { key, config };
  return config;
}

/**
 * For a process entry point: the configuration, or one line on stderr saying what to fix and exit
 * code 1 (a stack trace would bury the one variable to fix).
 */
export function envOrExit(prefix: string): Config {
  try {
    return env();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${prefix} configuration: ${error.message}`);
    process.exit(1);
  }
}

/** The portal's public URL, without a trailing slash; never derived from a request's Host header, which a client chooses. */
export function publicUrl(config: Config = env()): string {
  return config.NEXTAUTH_URL ?? `http://localhost:${config.PORT}`;
}

/** The environment a child process inherits (it parses its own configuration from it). */
export function inheritedEnvironment(): NodeJS.ProcessEnv {
  return { ...process.env };
}
