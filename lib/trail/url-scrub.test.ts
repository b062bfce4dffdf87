import { describe, expect, it } from "vitest";
import { NOT_FOUND_PATH, routeTemplate, scrubProperties, scrubUrl } from "./url-scrub";

const RESET_TOKEN = "Zk3v9Qx2LmP0aB7cD4eF6gH8iJ1kL3mN";
const EMAIL_TOKEN = "tK8mQ2vX9pL4wR7nB3cY6hJ1dF5gS0aZ";
const CHECKOUT_SESSION = "cs_test_a1B2c3D4e5F6g7H8i9J0";
const SECRETS = [RESET_TOKEN, EMAIL_TOKEN, CHECKOUT_SESSION, "W-10023", "R-555", "ada@example.com", "hunter2", "0192f0c1-aaaa-7bbb-8ccc-000000000001"];

// Values seen on the wire or crafted to slip past a naive cleaner.
const HOSTILE = [
  `http://127.0.0.1:3120/reset-password/${RESET_TOKEN}`,
  `http://127.0.0.1:3120/reset-password/${RESET_TOKEN}/`,
  `/reset-password/${RESET_TOKEN}`,
  `/account/confirm-email?token=${EMAIL_TOKEN}`,
  `http://localhost/account/confirm-email?token=${EMAIL_TOKEN}&x=1#token=${EMAIL_TOKEN}`,
  `https://portal.example/account/payment-methods/added?session_id=${CHECKOUT_SESSION}`,
  `https://portal.example/orders/W-10023/pay/pay_1?session_id=${CHECKOUT_SESSION}`,
  `/orders/W-10023/return#${RESET_TOKEN}`,
  `/account/confirm-email;token=${EMAIL_TOKEN}`,
  `https://ada%40example.com:hunter2@portal.example/orders`,
  `//evil.example/reset-password/${RESET_TOKEN}`,
  `HTTPS://PORTAL.EXAMPLE/account/confirm-email?TOKEN=${EMAIL_TOKEN}`,
  `/orders/W-10023%2Fcancel?token=${RESET_TOKEN}`,
  `/%72eset-password/${RESET_TOKEN}`,
  `/returns/R-555/photos/0192f0c1-aaaa-7bbb-8ccc-000000000001`,
  `/insights/explorer/0192f0c1-aaaa-7bbb-8ccc-000000000001?email=ada@example.com`,
  `  /reset-password/${RESET_TOKEN}  `,
  `javascript://portal.example/reset-password/${RESET_TOKEN}`,
  `http://[::1]:3000/orders/W-10023`,
  `Failed to fetch http://127.0.0.1/reset-password/${RESET_TOKEN} (network)`,
  `Error loading /account/confirm-email?token=${EMAIL_TOKEN}`,
  `{"url":"/orders/W-10023"}`,
  `/ingest/e/?token=${RESET_TOKEN}`,
  `http://localhost:3000/${"a/".repeat(2000)}${RESET_TOKEN}`,
  `Error 1http://127.0.0.1/reset-password/${RESET_TOKEN}`,
  `see+https://portal.example/account/confirm-email?token=${EMAIL_TOKEN}`,
];

describe("routeTemplate", () => {
  it("maps each path onto the app route it belongs to, static segments first", () => {
    expect(routeTemplate("/orders/W-10023")).toBe("/orders/[number]");
    expect(routeTemplate("/orders/W-10023/pay/pay_1/")).toBe("/orders/[number]/pay/[paymentId]");
    expect(routeTemplate("/account/payment-methods/added")).toBe("/account/payment-methods/added");
    expect(routeTemplate("/account/payment-methods/pm_1")).toBe("/account/payment-methods/[id]");
    expect(routeTemplate("/ingest/array/phc_x/config.js")).toBe("/ingest/[...path]");
    expect(routeTemplate("/")).toBe("/");
    expect(routeTemplate("")).toBe("/");
    expect(routeTemplate("/no/such/page")).toBe(NOT_FOUND_PATH);
  });
});

describe("scrubUrl", () => {
  it("keeps scheme and host, replaces the path by its template, drops query and fragment", () => {
    expect(scrubUrl("http://127.0.0.1:3120/orders/W-10023?utm_source=x#top")).toBe("http://127.0.0.1:3120/orders/[number]");
    expect(scrubUrl(`http://localhost/account/confirm-email?token=${EMAIL_TOKEN}`)).toBe("http://localhost/account/confirm-email");
    expect(scrubUrl(`/reset-password/${RESET_TOKEN}`)).toBe("/reset-password/[token]");
    expect(scrubUrl("https://www.search.example/results?q=my+order+W-10023")).toBe("https://www.search.example/[not-found]");
    expect(scrubUrl("https://user:pw@portal.example/orders")).toBe("https://portal.example/orders");
  });

  it.each(HOSTILE)("leaves no secret in %s", (value) => {
    const out = scrubUrl(value) + JSON.stringify(scrubProperties({ $current_url: value, nested: { deeper: [value] } }));
    for (const secret of SECRETS) expect(out).not.toContain(secret);
  });
});

describe("scrubUrl, the same URL again", () => {
  it("scrubs a URL seen before as it did the first time, also after thousands of other URLs", () => {
    const url = `https://shop.example/reset-password/${RESET_TOKEN}?next=/orders`;
    const first = scrubUrl(url);
    for (let i = 0; i < 5_000; i++) expect(scrubUrl(`https://shop.example/orders/W-${i}`)).toBe("https://shop.example/orders/[number]");
    expect(scrubUrl(url)).toBe(first);
    expect(first).toBe("https://shop.example/reset-password/[token]");
  });
});

describe("scrubProperties", () => {
  it("scrubs every URL-valued property, $set and $set_once included, and leaves other values alone", () => {
    const properties = {
      $current_url: `http://localhost/account/confirm-email?token=${EMAIL_TOKEN}`,
      $pathname: "/orders/W-10023",
      $referrer: `http://localhost/reset-password/${RESET_TOKEN}`,
      $referring_domain: "localhost",
      $session_entry_url: `http://localhost/account/payment-methods/added?session_id=${CHECKOUT_SESSION}`,
      $session_entry_pathname: `/reset-password/${RESET_TOKEN}`,
      $initial_current_url: `http://localhost/account/confirm-email?token=${EMAIL_TOKEN}`,
      $initial_pathname: `/reset-password/${RESET_TOKEN}`,
      $prev_pageview_pathname: "/returns/R-555",
      $set: { $current_url: "/orders/W-10023", nested: [{ url: `/reset-password/${RESET_TOKEN}` }] },
      $set_once: { $initial_current_url: `http://localhost/account/confirm-email?token=${EMAIL_TOKEN}` },
      $raw_user_agent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36",
      $referrer_direct: "$direct",
      journey_type: "return",
      step_index: 3,
      consent: true,
      nothing: null,
    };
    const scrubbed = scrubProperties(properties);
    expect(scrubbed).toEqual({
      ...properties,
      $current_url: "http://localhost/account/confirm-email",
      $pathname: "/orders/[number]",
      $referrer: "http://localhost/reset-password/[token]",
      $session_entry_url: "http://localhost/account/payment-methods/added",
      $session_entry_pathname: "/reset-password/[token]",
      $initial_current_url: "http://localhost/account/confirm-email",
      $initial_pathname: "/reset-password/[token]",
      $prev_pageview_pathname: "/returns/[number]",
      $set: { $current_url: "/orders/[number]", nested: [{ url: "/reset-password/[token]" }] },
      $set_once: { $initial_current_url: "http://localhost/account/confirm-email" },
    });
  });

  it("reads a long word once: a value of a million letters with no URL comes back as it was", () => {
    // Quadratic scanning (a scheme tried from every letter) would take hours here, not milliseconds.
    const title = `${"a".repeat(1_000_000)} then /reset-password/${RESET_TOKEN}`;
    const scrubbed = scrubProperties({ $title: title }).$title as string;
    expect(scrubbed.startsWith("a".repeat(1_000_000))).toBe(true);
    expect(scrubbed).not.toContain(RESET_TOKEN);
  });

  it("stops at a hostile nesting depth instead of recursing without end", () => {
    let deep: Record<string, unknown> = { url: `/reset-password/${RESET_TOKEN}` };
    for (let i = 0; i < 100; i++) deep = { deep };
    expect(JSON.stringify(scrubProperties(deep))).not.toContain(RESET_TOKEN);
  });
});
