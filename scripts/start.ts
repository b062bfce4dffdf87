// `npm start`: the whole portal from one command.
//  1. PostgreSQL: DATABASE_URL when set; otherwise the embedded server under .data/pg (started here).
//  2. Pending migrations applied; an empty database gets the demo data.
//  3. `next build` when the sources changed; then the build served on PORT (default 3000) by our
//     HTTP front (scripts/serve.ts), which knows each client's real address, and one background
//     worker (scripts/worker.ts); the web server says "serving on" once it accepts connections.
// Flags: --fresh wipes the embedded database first, wherever it is kept (used by the browser tests).
// A start that cannot succeed ends with one line saying what to do (scripts/support/start-failure.ts).
import "./support/require-outside-next";
import { spawn } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, env, inheritedEnvironment } from "../lib/config/env";
import { createDb } from "../lib/db/client";
import { deployMigrations } from "../lib/db/migrations";
import { ensureReturnPolicy } from "../lib/returns/policy-store";
import { isSeeded, seedDemoData } from "../lib/seed/demo";
import { buildIfChanged } from "./support/build";
import { startDemoCarrier } from "./support/demo-carrier";
import { OUTSIDE_NEXT } from "./support/outside-next-path";
import { serveArguments } from "./support/serve-command";
import { embeddedDataDir, type ResolvedDatabase, removeEmbeddedDatabase, resolveDatabase } from "./support/database";
import { embeddedSecret, serverEnv } from "./support/server-env";
import { claimEmbeddedDatabase } from "./support/start-lock";
import { type StartSettings, checkDatabaseReachable, checkPortFree, checkStartSettings, describeStartFailure } from "./support/start-failure";

const { values } = parseArgs({ options: { fresh: { type: "boolean", default: false } } });
const startedAt = Date.now();
const log = (message: string) => console.log(`[waymark] ${message}`);

const { settings, database } = await prepare().catch((error: unknown) => {
  console.error(`[waymark] ${describeStartFailure(error)}`);
  // A bad configuration is all there is to say; anything else may need its details.
  if (!(error instanceof ConfigError) && env().WAYMARK_DEBUG) console.error(error);
  process.exit(1);
});

const port = String(settings.port);
const host = settings.host;
const demoCarrier = await startDemoCarrier(env(), database);
if (demoCarrier) log("return labels, drop-off codes and pickups are booked with a demo carrier on this machine: set CARRIER_API_BASE for a real one");
const childEnv = { ...serverEnv(inheritedEnvironment(), env(), database, () => embeddedSecret(path.resolve(".data/nextauth-secret"))), ...(demoCarrier ? { CARRIER_API_BASE: demoCarrier.url } : {}) };
if (!env().WAYMARK_DEV_MAILBOX && !env().SMTP_URL) log("emails are kept in the database: set SMTP_URL to send them, or WAYMARK_DEV_MAILBOX=1 to read them at /dev/mailbox on this machine");
const server = spawn(process.execPath, serveArguments(host, port, ["--started-at", String(startedAt)]), { stdio: "inherit", env: childEnv });
// One worker runs the background jobs (outbox deliveries, emails, abandonment, rollups); the web server runs none.
const worker = spawn(process.execPath, ["--import", "tsx", "--import", OUTSIDE_NEXT, "scripts/worker.ts"], { stdio: "inherit", env: childEnv });

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  const exited = [server, worker].filter((child) => child.exitCode === null && child.signalCode === null).map((child) => new Promise((resolve) => child.once("exit", resolve)));
  server.kill("SIGTERM");
  worker.kill("SIGTERM");
  await Promise.all(exited);
  await demoCarrier?.close();
  await database.stop().catch(() => {});
  process.exit(code);
}
// Either process ending ends both: `npm start` is one portal.
server.on("exit", (code) => void stop(code ?? 0));
worker.on("exit", (code) => void stop(code ?? 0));
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

/** Everything before the web server: settings, database, migrations, demo data, build. */
async function prepare(): Promise<{ settings: StartSettings; database: ResolvedDatabase }> {
  const settings = checkStartSettings(env());
  await checkPortFree(settings.host, settings.port);
  if (settings.databaseUrl) await checkDatabaseReachable(settings.databaseUrl);
  else {
    // Before --fresh: a second start would otherwise delete the data under the first one.
    const release = claimEmbeddedDatabase(embeddedDataDir());
    process.once("exit", release);
    if (values.fresh) await removeEmbeddedDatabase();
  }

  const database = await resolveDatabase(log);
  try {
    log(database.embedded ? `embedded PostgreSQL ready (data in ${shortPath(database.location ?? "")})` : "using DATABASE_URL");
    const applied = await deployMigrations(database.url);
    if (applied.length) log(`applied migrations: ${applied.join(", ")}`);

    const prisma = createDb(database.url, 2);
    // Demo accounts share a published password: only the embedded database gets them unless asked.
    const wantsDemoData = database.embedded || env().WAYMARK_DEMO_DATA;
    if (wantsDemoData && !(await isSeeded(prisma))) {
      const seeded = await seedDemoData(prisma, { seed: env().WAYMARK_SEED });
      log(`demo data: ${seeded.customers} customers, ${seeded.orders} orders (${(seeded.durationMs / 1000).toFixed(1)} s)`);
    }
    await ensureReturnPolicy(prisma);
    await prisma.$disconnect();

    buildIfChanged();
  } catch (error) {
    await database.stop().catch(() => {});
    throw error;
  }
  return { settings, database };
}

function shortPath(location: string): string {
  const relative = path.relative(process.cwd(), location);
  return relative.startsWith("..") ? location : relative;
}
