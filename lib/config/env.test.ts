// The configuration is declared once: these check its parsing (defaults, bad values and their one
// line) and that the README's table is the one the declarations give.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { README_PATH, withConfigTable } from "@/scripts/config-doc";
import { ConfigError, env, parseConfig, publicUrl, VARIABLES } from "./env";

describe("parseConfig", () => {
  it("gives every default when nothing is set", () => {
    expect(parseConfig({})).toMatchObject({
      DATABASE_URL: undefined,
      PORT: 3000,
      OUTBOX_INTERVAL_MS: 2000,
      ABANDON_CHECK_INTERVAL_MS: 60_000,
      INSIGHTS_REFRESH_INTERVAL_MS: 5000,
      ABANDON_AFTER_MINUTES: 30,
      CONTACT_LINK_WINDOW_HOURS: 72,
      INTERVENTION_HOLDOUT_PERCENT: 10,
      INGEST_REQUESTS_PER_MINUTE: 1200,
      CLIENT_BUDGET_MULTIPLIER: 1,
      TRUST_PROXY_HOPS: 0,
      WAYMARK_DEV_MAILBOX: false,
      POSTHOG_API_HOST: "https://us.posthog.com",
      MAIL_FROM: "Waymark <no-reply@waymark.example>",
      UPLOADS_DIR: ".data/uploads",
      NEXT_PUBLIC_SUPPORT_PHONE: "+44 1234 567890",
      NEXT_PUBLIC_SUPPORT_EMAIL: "help@waymark.example",
    });
  });

  it("treats an empty or blank value as unset", () => {
    expect(parseConfig({ OUTBOX_INTERVAL_MS: "", POSTHOG_HOST: "  ", TRUST_PROXY_HOPS: " 2 " })).toMatchObject({ OUTBOX_INTERVAL_MS: 2000, POSTHOG_HOST: undefined, TRUST_PROXY_HOPS: 2 });
  });

  it("turns values into what the code uses: numbers, switches, URLs without a trailing slash", () => {
    expect(parseConfig({ OUTBOX_INTERVAL_MS: "250", WAYMARK_DEV_MAILBOX: "1", NEXTAUTH_URL: "https://portal.example/", POSTHOG_HOST: "https://eu.i.posthog.com/" })).toMatchObject({
      OUTBOX_INTERVAL_MS: 250,
      WAYMARK_DEV_MAILBOX: true,
      NEXTAUTH_URL: "https://portal.example",
      POSTHOG_HOST: "https://eu.i.posthog.com",
    });
  });

  it("refuses a value that is not a number in one line naming the variable and what it expects", () => {
    const attempt = () => parseConfig({ OUTBOX_INTERVAL_MS: "abc" });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/^OUTBOX_INTERVAL_MS is invalid: must be a whole number of milliseconds from 10 to 3600000 \(got "abc"\)$/);
  });

  it.each([
    ["INSIGHTS_REFRESH_INTERVAL_MS", "50"],
    ["INTERVENTION_HOLDOUT_PERCENT", "101"],
    ["ABANDON_AFTER_MINUTES", "0"],
    ["CONTACT_LINK_WINDOW_HOURS", "1.5"],
    ["TRUST_PROXY_HOPS", "-1"],
    ["PORT", "1e3"],
    ["WAYMARK_DEV_MAILBOX", "yes"],
    ["POSTHOG_HOST", "eu.i.posthog.com"],
    ["NEXT_PUBLIC_SUPPORT_PHONE", "01234 567890"],
    ["NEXT_PUBLIC_SUPPORT_EMAIL", "help desk"],
  ])("refuses %s=%s", (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(`${name} is invalid: `);
    expect(() => parseConfig({ [name]: value })).toThrow(`(got "${value}")`);
  });

  it("never repeats a secret, even when it is the bad value", () => {
    const attempt = () => parseConfig({ STRIPE_SECRET_KEY: "pk_live_leaked", DATABASE_URL: "mysql://root:hunter2@db/shop" });
    expect(attempt).toThrow(/DATABASE_URL is invalid: .*; STRIPE_SECRET_KEY is invalid/);
    expect(attempt).not.toThrow(/pk_live_leaked|hunter2/);
    expect(() => parseConfig({ SMTP_URL: "mail.example:587" })).toThrow(/^SMTP_URL is invalid: must be an smtp:\/\/ or smtps:\/\/ URL[^"]*$/);
  });

  it("names every bad variable at once, in one line", () => {
    let message = "";
    try {
      parseConfig({ OUTBOX_INTERVAL_MS: "soon", PORT: "http" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/PORT is invalid.*OUTBOX_INTERVAL_MS is invalid/);
    expect(message).not.toContain("\n");
  });

  it("reads the social accounts as each network's name, profile address and handle, refusing addresses that carry more than the profile", () => {
    expect(parseConfig({}).SOCIAL_ACCOUNTS).toEqual([{ network: "X", url: "https://x.com/waymarkhelp", handle: "@waymarkhelp" }]);
    expect(parseConfig({ SOCIAL_ACCOUNTS: "Instagram=https://www.instagram.com/waymark/, TikTok=https://www.tiktok.com/@waymark" }).SOCIAL_ACCOUNTS).toEqual([
      { network: "Instagram", url: "https://www.instagram.com/waymark/", handle: "@waymark" },
      { network: "TikTok", url: "https://www.tiktok.com/@waymark", handle: "@waymark" },
    ]);
    expect(parseConfig({ SOCIAL_ACCOUNTS: "none" }).SOCIAL_ACCOUNTS).toEqual([]);
    expect(() => parseConfig({ SOCIAL_ACCOUNTS: "X=https://x.com/waymark?s=20&t=a1b2c3" })).toThrow(/SOCIAL_ACCOUNTS is invalid: profile addresses carry no \?… or #…/);
    expect(() => parseConfig({ SOCIAL_ACCOUNTS: "X=http://x.com/waymark" })).toThrow(/profile addresses must be https URLs/);
    expect(() => parseConfig({ SOCIAL_ACCOUNTS: "X=https://x.com/" })).toThrow(/a profile address ends with its handle/);
  });

  it("checks the variables that only work together", () => {
    expect(() => parseConfig({ POSTHOG_PROJECT_ID: "4242" })).toThrow(/^POSTHOG_PERSONAL_API_KEY is not set/);
    expect(() => parseConfig({ BACKOFFICE_ENDPOINTS: "erp=https://erp.example" })).toThrow(/BACKOFFICE_SIGNING_SECRET is required: no secret for erp/);
  });
});

describe("env()", () => {
  const previous = process.env.OUTBOX_INTERVAL_MS;
  afterEach(() => {
    if (previous === undefined) delete process.env.OUTBOX_INTERVAL_MS;
    else process.env.OUTBOX_INTERVAL_MS = previous;
  });

  it("follows the process's environment and refuses a bad value", () => {
    process.env.OUTBOX_INTERVAL_MS = "1500";
    expect(env().OUTBOX_INTERVAL_MS).toBe(1500);
    process.env.OUTBOX_INTERVAL_MS = "abc";
    expect(() => env()).toThrow(/OUTBOX_INTERVAL_MS is invalid/);
  });

  it("keeps a production server's first reading instead of reading every variable on each call", () => {
    process.env.OUTBOX_INTERVAL_MS = "1500";
    expect(env().OUTBOX_INTERVAL_MS).toBe(1500);
    vi.stubEnv("NODE_ENV", "production");
    try {
      process.env.OUTBOX_INTERVAL_MS = "2500";
      expect(env().OUTBOX_INTERVAL_MS).toBe(1500);
    } finally {
      vi.unstubAllEnvs();
    }
    // Elsewhere (tests, scripts) a changed variable is read again.
    expect(env().OUTBOX_INTERVAL_MS).toBe(2500);
  });

  it("follows a variable switched back and forth without parsing each set of values again", () => {
    process.env.OUTBOX_INTERVAL_MS = "1500";
    const first = env();
    process.env.OUTBOX_INTERVAL_MS = "2500";
    expect(env().OUTBOX_INTERVAL_MS).toBe(2500);
    process.env.OUTBOX_INTERVAL_MS = "1500";
    // The same reading as before, not a new parse: `npm run bench` flips a variable around every task it times.
    expect(env()).toBe(first);
    expect(env().OUTBOX_INTERVAL_MS).toBe(1500);
  });
});

describe("publicUrl", () => {
  it("is NEXTAUTH_URL, else this machine on PORT; never a request's host", () => {
    expect(publicUrl(parseConfig({ NEXTAUTH_URL: "https://portal.example/" }))).toBe("https://portal.example");
    expect(publicUrl(parseConfig({ PORT: "3100" }))).toBe("http://localhost:3100");
  });
});

describe("the README's Configuration table", () => {
  const readme = readFileSync(README_PATH, "utf8");

  it("is the one the declarations give (run `npm run docs:config` to regenerate)", () => {
    expect(readme).toBe(withConfigTable(readme));
  });

  it("lists every declared variable, including those the issue found missing", () => {
    for (const name of [...Object.keys(VARIABLES), "POSTHOG_PROJECT_ID", "POSTHOG_PERSONAL_API_KEY", "INTERVENTION_HOLDOUT_PERCENT", "INSIGHTS_REFRESH_INTERVAL_MS"]) {
      expect(readme).toContain(`| \`${name}\` |`);
    }
  });
});
