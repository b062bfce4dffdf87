import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Separate build folders let several checkouts' browser suites run side by side.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // Native and server-only packages stay outside the bundle.
  serverExternalPackages: ["@node-rs/argon2", "pg", "@prisma/adapter-pg", "posthog-node", "nodemailer"],
  // The browser posts its trail to /ingest/e/ (PostHog's path) with a trailing slash; keep it as sent.
  skipTrailingSlashRedirect: true,
  poweredByHeader: false,
  // `npm test` has just type-checked the same files, the generated route types included (`npm run
  // typecheck`: next typegen, then tsc); its build skips that second check. Every other build keeps it.
  typescript: { ignoreBuildErrors: process.env.WAYMARK_BUILD_TYPECHECKED === "1" },
  turbopack: {
    // app/globals.css imported with ?inline is its minified text, which the root layout writes into
    // every page (app/inline-stylesheet.tsx says why not through Next.js's own inlining).
    rules: { "*.css": [{ condition: { query: /^\?inline$/ }, loaders: ["./lib/style/stylesheet-loader.cjs"], type: "text" }] },
  },
  experimental: {
    // The other stylesheets (the insights pages', the global error page's) ride in the HTML too
    // instead of blocking the first paint behind a second request. Next.js re-inserts them as
    // <style> elements without a nonce on client navigations, so the policy allows them by hash
    // (lib/http/build-output.ts).
    inlineCss: true,
    // Turbopack keeps one small chunk per chunk group below 50 kB of source; at 200 kB the two
    // small framework chunks every page loads (8 kB compressed each) become one: one request fewer
    // on every page, for the same bytes (the client reference chunks are groups of their own and
    // stay as they are). Measured on the built pages in Chromium: /signin 9 → 8 scripts, / 8 → 7.
    turbopackChunking: { minChunkSize: 200_000 },
  },
};

export default nextConfig;
