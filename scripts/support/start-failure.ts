// `npm start` fails with one line that says what to do, never a stack trace: the settings are checked
// before anything starts, and whatever fails later is translated here.
import net from "node:net";
import pg from "pg";
import { ConfigError, type Config } from "../../lib/config/env";
import { DatabaseStartError } from "../../lib/db/errors";

/** A start failure already worded for the person starting the portal. */
export class StartFailure extends Error {}

const MIN_SECRET_LENGTH = 32;

export type StartSettings = { port: number; host: string; databaseUrl: string | undefined };

/** The launcher's own settings, checked before the database is touched (each variable's format is checked by lib/config/env.ts). */
export function checkStartSettings(config: Config): StartSettings {
  if (config.DATABASE_URL && !config.NEXTAUTH_SECRET) {
    throw new StartFailure("NEXTAUTH_SECRET must be set when DATABASE_URL points at your own PostgreSQL: set it to a long random string (openssl rand -base64 32)");
  }
  // It is the key of every session cookie and of the signed links in messages: a short one can be guessed.
  if (config.NEXTAUTH_SECRET !== undefined && config.NEXTAUTH_SECRET.length < MIN_SECRET_LENGTH) {
    throw new StartFailure(`NEXTAUTH_SECRET is too short (${config.NEXTAUTH_SECRET.length} characters, at least ${MIN_SECRET_LENGTH}): set it to a long random string (openssl rand -base64 32)`);
  }
  return { port: config.PORT, host: config.HOST ?? (config.CI ? "127.0.0.1" : "0.0.0.0"), databaseUrl: config.DATABASE_URL };
}

/** Fails when the web server could not listen on host:port, before minutes of migrations and builds. */
export async function checkPortFree(host: string, port: number): Promise<void> {
  const probe = net.createServer();
  await listenOn(probe, host, port);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

/** Listens on host:port: resolves once connections are accepted, or fails with one line saying what to do. */
export function listenOn(server: net.Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const refused = (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") reject(new StartFailure(`port ${port} is in use by another program: stop it, or set PORT to a free port`));
      else if (error.code === "EACCES") reject(new StartFailure(`this user may not listen on port ${port}: set PORT to a port above 1023`));
      else reject(new StartFailure(`cannot listen on ${host}:${port} (${error.code ?? error.message}): set HOST and PORT to an address of this machine`));
    };
    server.once("error", refused);
    server.listen(port, host, () => {
      server.off("error", refused);
      resolve();
    });
  });
}

/**
 * Connects once to DATABASE_URL's server, so that a wrong host, port, password or database name fails
 * with PostgreSQL's own error code (the migration engine reports them as prose).
 */
export async function checkDatabaseReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 15_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    if (error instanceof Error && /timeout/i.test(error.message)) Object.assign(error, { code: "ETIMEDOUT" });
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}

/** One line saying what went wrong and what to do about it. */
export function describeStartFailure(error: unknown): string {
  if (error instanceof StartFailure || error instanceof DatabaseStartError) return error.message;
  if (error instanceof ConfigError) return `configuration: ${error.message}`;
  const code = typeof error === "object" && error !== null ? String((error as { code?: unknown }).code ?? "") : "";
  const message = error instanceof Error ? error.message : String(error);
  const fromDatabaseUrl = (text: string) => `DATABASE_URL: ${text}`;
  switch (code) {
    case "ECONNREFUSED":
      return fromDatabaseUrl("PostgreSQL refused the connection: start the server, or fix the host and port");
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return fromDatabaseUrl("the database host name does not resolve: fix the host");
    case "ETIMEDOUT":
      return fromDatabaseUrl("PostgreSQL does not answer: check the host, the port and the firewall");
    case "28P01":
    case "28000":
      return fromDatabaseUrl("PostgreSQL refused the user name or password: fix them");
    case "3D000":
      return fromDatabaseUrl("the database does not exist: create it (createdb) or fix its name");
  }
  if (message.includes("(P3009)")) return `${firstLine(message)}: resolve the failed migration by hand (see the README, Running against your own PostgreSQL)`;
  return `could not start: ${firstLine(message)} (WAYMARK_DEBUG=1 prints the details)`;
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0] ?? "";
}
