import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Separate build folders let several checkouts' browser suites run side by side.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // Native and server-only packages stay outside the bundle.
  serverExternalPackages: ["@node-rs/argon2", "pg", "@prisma/adapter-pg", "posthog-node", "nodemailer"],
  // The browser posts its trail to /ingest/e/ (PostHog's path) with a trailing slash; keep it as sent.
  skipTrailingSlashRedirect: true,
  poweredByHeader: false,
};

export default nextConfig;
