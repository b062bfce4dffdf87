// The embedded PostgreSQL as `npm start` and `npm test` run it: from a checkout whose parent only its
// owner may enter (a home directory, `mktemp -d`), with a generated password, leaving nothing in the
// system temp directory. Run as root (as CI does), PostgreSQL runs as the `postgres` user.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { freePort } from "@/tests/support/db";
import { installedBuild, removeEmbeddedData, startEmbeddedPostgres, type EmbeddedServer } from "./embedded";

const isRoot = process.getuid?.() === 0;

async function connectionError(port: number, password: string): Promise<string | undefined> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres", password, database: "postgres" });
  client.on("error", () => {});
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  } finally {
    await client.end().catch(() => {});
  }
}

async function currentUser(server: EmbeddedServer): Promise<string> {
  const client = new pg.Client({ connectionString: server.url("postgres") });
  await client.connect();
  try {
    return (await client.query<{ current_user: string }>("SELECT current_user")).rows[0].current_user;
  } finally {
    await client.end();
  }
}

const modeOf = (file: string) => fs.statSync(file).mode & 0o7777;

describe("embedded PostgreSQL", () => {
  let scratch: string;
  let tempDir: string;
  let tempEvents: string[];
  let watcher: fs.FSWatcher;
  const previousTmpdir = process.env.TMPDIR;
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeEach(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "waymark-embedded-test-"));
    // The system temp directory as everything in this process sees it, watched for anything written there.
    tempDir = path.join(scratch, "system-tmp");
    fs.mkdirSync(tempDir, { mode: 0o1777 });
    fs.chmodSync(tempDir, 0o1777);
    process.env.TMPDIR = tempDir;
    tempEvents = [];
    watcher = fs.watch(tempDir, (_event, name) => tempEvents.push(String(name)));
  });
  afterEach(async () => {
    watcher.close();
    if (previousTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmpdir;
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  async function start(dataDir: string, options: { binaries?: string; log?: (line: string) => void } = {}) {
    const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), ...options });
    cleanups.push(() => server.stop());
    return server;
  }

  it("starts from a checkout whose parent is private (0700), without opening any directory to others", async () => {
    // A checkout inside a directory only its owner may enter, holding its own copy of the PostgreSQL build.
    const privateParent = path.join(scratch, "home");
    const checkout = path.join(privateParent, "waymark");
    fs.mkdirSync(checkout, { recursive: true, mode: 0o700 });
    fs.chmodSync(privateParent, 0o700);
    const binaries = path.join(checkout, "node_modules", "postgres-build");
    fs.mkdirSync(path.dirname(binaries));
    // Hard links where possible: the files are then inside the private directory as far as permissions go.
    const cloned = spawnSync("cp", ["-a", "--link", await installedBuild(), binaries]);
    if (cloned.status !== 0) fs.cpSync(await installedBuild(), binaries, { recursive: true, verbatimSymlinks: true });
    const dataDir = path.join(checkout, ".data", "pg");
    cleanups.push(() => removeEmbeddedData(dataDir));

    const server = await start(dataDir, { binaries });
    cleanups.push(() => {
      if (server.buildDir !== binaries) fs.rmSync(server.buildDir, { recursive: true, force: true });
    });

    expect(await currentUser(server)).toBe("postgres");
    expect(modeOf(privateParent)).toBe(0o700);
    for (let dir = path.dirname(dataDir); dir.startsWith(privateParent); dir = path.dirname(dir)) expect(modeOf(dir) & 0o002).toBe(0);
    if (isRoot) {
      // The server runs as `postgres`, from a copy of the build and a data directory that only it may enter.
      const postgresUid = fs.statSync(server.clusterDir).uid;
      expect(postgresUid).not.toBe(0);
      expect(server.clusterDir.startsWith(privateParent)).toBe(false);
      expect(server.buildDir.startsWith(privateParent)).toBe(false);
      const runtimeDir = path.dirname(server.clusterDir);
      expect(path.dirname(server.buildDir)).toBe(runtimeDir);
      expect({ owner: fs.statSync(runtimeDir).uid, mode: modeOf(runtimeDir) }).toEqual({ owner: postgresUid, mode: 0o700 });
      expect(modeOf(server.clusterDir)).toBe(0o700);
    }
    // Started again, it finds its data where it left it.
    await server.stop();
    const again = await start(dataDir, { binaries });
    expect(again.clusterDir).toBe(server.clusterDir);
    expect(await currentUser(again)).toBe("postgres");
    expect(tempEvents).toEqual([]);
  });

  it("keeps the server out of a terminal's Ctrl-C, which reaches the whole foreground group: it stops when the portal stops it", async () => {
    const dataDir = path.join(scratch, "pg");
    cleanups.push(() => removeEmbeddedData(dataDir));
    const server = await start(dataDir);
    const pid = Number(fs.readFileSync(path.join(server.clusterDir, "postmaster.pid"), "utf8").split("\n")[0]);
    const groupOf = (processId: number) => spawnSync("ps", ["-o", "pgid=", "-p", String(processId)], { encoding: "utf8" }).stdout.trim();
    expect(groupOf(pid)).not.toBe(groupOf(process.pid));
    await server.stop();
    expect(groupOf(pid)).toBe("");
  });

  it("generates the superuser password, keeps it beside the data for its owner only, and moves an old data directory off the fixed one, once", async () => {
    const dataDir = path.join(scratch, "checkout", ".data", "pg");
    const passwordFile = `${dataDir}.password`;
    cleanups.push(() => removeEmbeddedData(dataDir));
    const notes: string[] = [];
    const first = await start(dataDir, { log: (line) => notes.push(line) });
    const port = Number(new URL(first.url("postgres")).port);

    const password = fs.readFileSync(passwordFile, "utf8").trim();
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(modeOf(passwordFile)).toBe(0o600);
    expect(decodeURIComponent(new URL(first.url("postgres")).password)).toBe(password);
    expect(await connectionError(port, password)).toBeUndefined();
    expect(await connectionError(port, "waymark")).toBe("28P01");
    expect(notes).toEqual([]);

    // What earlier launchers left behind: the superuser password `waymark`, and no password file.
    const client = new pg.Client({ connectionString: first.url("postgres") });
    await client.connect();
    await client.query("ALTER ROLE postgres WITH PASSWORD 'waymark'");
    await client.end();
    await first.stop();
    fs.rmSync(passwordFile);

    const migrated = await start(dataDir, { log: (line) => notes.push(line) });
    const newPort = Number(new URL(migrated.url("postgres")).port);
    const newPassword = fs.readFileSync(passwordFile, "utf8").trim();
    expect(newPassword).not.toBe(password);
    expect(await connectionError(newPort, newPassword)).toBeUndefined();
    expect(await connectionError(newPort, "waymark")).toBe("28P01");
    expect(notes).toEqual([expect.stringContaining("replaced the embedded PostgreSQL's old fixed superuser password")]);

    await migrated.stop();
    const later = await start(dataDir, { log: (line) => notes.push(line) });
    expect(await currentUser(later)).toBe("postgres");
    expect(notes).toHaveLength(1);
    // Nothing written to the system temp directory, not even for a moment (the password file initdb reads, a socket).
    expect(tempEvents).toEqual([]);
  });
});
