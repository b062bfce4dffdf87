// The environment `npm start` gives the portal's server process.
export function serverEnv(env: NodeJS.ProcessEnv, database: { url: string }, port: string, secret: () => string): NodeJS.ProcessEnv {
  // Only what the portal cannot run without is filled in. Nothing optional is switched on here:
  // in particular the local mailbox (WAYMARK_DEV_MAILBOX) stays off unless the person starting asks for it.
  return {
    ...env,
    DATABASE_URL: database.url,
    NEXT_TELEMETRY_DISABLED: "1",
    NEXTAUTH_URL: env.NEXTAUTH_URL ?? `http://localhost:${port}`,
    NEXTAUTH_SECRET: env.NEXTAUTH_SECRET ?? secret(),
  };
}
