// Values Next.js writes into the bundles at build time. It replaces only a literal
// `process.env.NEXT_PUBLIC_…`, so they are read here, by name, and nowhere else (./env.ts declares
// them for the README; the value the browser runs with is the one present at `next build`).

export const DEFAULT_POSTHOG_BROWSER_KEY = "phc_waymark_local";

/** posthog-js's project key; it also names posthog-js's cookie, which the server reads (lib/trail/actor.ts). */
export const POSTHOG_BROWSER_KEY = process.env.NEXT_PUBLIC_POSTHOG_KEY || DEFAULT_POSTHOG_BROWSER_KEY;
