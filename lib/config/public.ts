// Values Next.js writes into the bundles at build time. It replaces only a literal
// `process.env.NEXT_PUBLIC_…`, so they are read here, by name, and nowhere else (./env.ts declares
// them for the README; the value the browser runs with is the one present at `next build`).

export const DEFAULT_POSTHOG_BROWSER_KEY = "phc_waymark_local";

/** posthog-js's project key; it also names posthog-js's cookie, which the server reads (lib/trail/actor.ts). */
export const POSTHOG_BROWSER_KEY = process.env.NEXT_PUBLIC_POSTHOG_KEY || DEFAULT_POSTHOG_BROWSER_KEY;

export const DEFAULT_SUPPORT_PHONE = "+44 1234 567890";
export const DEFAULT_SUPPORT_EMAIL = "help@waymark.example";

/**
 * How a customer reaches a person outside the portal, as the help pages, the help entry, messages
 * and refusals give it. Built in rather than read per request because the page shown when the
 * portal itself fails (app/global-error.tsx) cannot ask the server; read on each call so a test can
 * set it.
 */
export function supportContact() {
  const phone = process.env.NEXT_PUBLIC_SUPPORT_PHONE?.trim() || DEFAULT_SUPPORT_PHONE;
  const email = process.env.NEXT_PUBLIC_SUPPORT_EMAIL?.trim() || DEFAULT_SUPPORT_EMAIL;
  return { phone, phoneHref: `tel:${phone.replace(/[^+\d]/g, "")}`, email, emailHref: `mailto:${email}` };
}
