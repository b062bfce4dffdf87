// The environment `npm start` gives the portal's server process.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { publicUrl, type Config } from "../../lib/config/env";

export function serverEnv(inherited: NodeJS.ProcessEnv, config: Config, database: { url: string }, secret: () => string): NodeJS.ProcessEnv {
  // Only what the portal cannot run without is filled in. Nothing optional is switched on here:
  // in particular the local mailbox (WAYMARK_DEV_MAILBOX) stays off unless the person starting asks for it.
  // (The embedded demo's carrier is added by scripts/start.ts: it shows nobody anything private.)
  return {
    ...inherited,
    DATABASE_URL: database.url,
    NEXT_TELEMETRY_DISABLED: "1",
    // It serves a production build, and what runs outside Next.js's bundle (the HTTP front, the
    // worker, React's own packages loaded at run time, e.g. for emails) picks its production
    // code only when told: `next start` sets this itself, a custom server must.
    NODE_ENV: "production",
    // next-auth reads it from the environment itself.
    NEXTAUTH_URL: publicUrl(config),
    NEXTAUTH_SECRET: config.NEXTAUTH_SECRET ?? secret(),
  };
}

/**
 * The embedded demo's generated secret, kept in `file` so sessions outlive a restart; a real
 * deployment must provide its own. Its folder is made when missing: with the database kept
 * elsewhere (WAYMARK_PG_DIR), nothing else has made it.
 */
export function embeddedSecret(file: string): string {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}
