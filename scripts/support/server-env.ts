// The environment `npm start` gives the portal's server process.
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
