// The background jobs run in worker processes (scripts/worker.ts, graphile-worker), apart from the
// web server: two workers on one database deliver every business event to the back office exactly
// once, the one delivering killed midway loses nothing (the other takes over its job and what it
// held), and a web process's kick (lib/jobs/kick.ts) runs a duty long before its next run. The
// health page lists the workers that beat.
import { type ChildProcess, spawn } from "node:child_process";
import crypto from "node:crypto";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emitBusinessEvent } from "@/lib/integrations/business-events";
import type { QueuedPostHogEvent } from "@/lib/integrations/posthog";
import { kickDuties } from "@/lib/jobs/kick";
import { workerSightings } from "@/lib/jobs/workers";
import { OUTSIDE_NEXT } from "@/scripts/support/outside-next-path";
import { type FreshDatabase, freshDatabase } from "../support/db";

type Worker = { process: ChildProcess; ready: Promise<void>; exited: Promise<void> };

// Short beats, so a killed worker counts as gone (and its job is released) within seconds.
const HEARTBEAT_SECONDS = 1;

describe("worker processes", () => {
  let fresh: FreshDatabase;
  let receiver: http.Server;
  const received: { path: string; webhookId: string | undefined }[] = [];
  const workers: Worker[] = [];

  function startWorker(env: Record<string, string>): Worker {
    const child = spawn(process.execPath, ["--import", "tsx", "--import", OUTSIDE_NEXT, "scripts/worker.ts"], {
      env: { ...process.env, DATABASE_URL: fresh.url, WORKER_HEARTBEAT_SECONDS: String(HEARTBEAT_SECONDS), ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    // Printed once it listens for kicks.
    const ready = new Promise<void>((resolve) => child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("running background jobs") && resolve()));
    const worker = { process: child, ready, exited: new Promise<void>((resolve) => child.once("exit", () => resolve())) };
    workers.push(worker);
    return worker;
  }

  async function alivePids(): Promise<number[]> {
    const sightings = await workerSightings(fresh.db, HEARTBEAT_SECONDS);
    return sightings.filter((worker) => worker.alive).map((worker) => Number(worker.name.split(":").at(-1))).sort();
  }

  /** The worker process whose job slot is running `duty` now, if any. */
  async function runningDuty(duty: string): Promise<Worker | undefined> {
    const [job] = await fresh.db.$queryRaw<{ lockedBy: string }[]>`SELECT locked_by AS "lockedBy" FROM graphile_worker.jobs WHERE task_identifier = ${duty} AND locked_by IS NOT NULL`;
    if (!job) return undefined;
    const owner = await fresh.db.workerProcess.findFirst({ where: { jobWorkers: { has: job.lockedBy } } });
    return workers.find((worker) => owner?.id.endsWith(`:${worker.process.pid}`));
  }

  async function emit(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let n = 0; n < count; n++) ids.push(await fresh.db.$transaction((tx) => emitBusinessEvent(tx, "case.opened", { caseNumber: n })));
    return ids;
  }

  beforeAll(async () => {
    fresh = await freshDatabase();
    receiver = http.createServer((request, response) => {
      const webhookId = request.headers["webhook-id"];
      received.push({ path: request.url ?? "", webhookId: typeof webhookId === "string" ? webhookId : undefined });
      request.resume();
      // A back office that takes its time, so a worker can be caught in the middle of a burst.
      const delayMs = request.url?.startsWith("/slow") ? 20 : 0;
      request.on("end", () => setTimeout(() => response.end("ok"), delayMs));
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    for (const worker of workers) worker.process.kill("SIGTERM");
    await Promise.all(workers.map((worker) => worker.exited));
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await fresh?.drop();
  });

  it("refuse a bad setting in one line instead of running with it", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "--import", OUTSIDE_NEXT, "scripts/worker.ts"], { env: { ...process.env, DATABASE_URL: fresh.url, OUTBOX_INTERVAL_MS: "abc" }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('[worker] configuration: OUTBOX_INTERVAL_MS is invalid: must be a whole number of milliseconds from 10 to 3600000 (got "abc")');
  });

  it("deliver every business event once between two of them", async () => {
    const endpoint = `erp=http://127.0.0.1:${(receiver.address() as { port: number }).port}/erp`;
    const env = { BACKOFFICE_ENDPOINTS: endpoint, BACKOFFICE_SIGNING_SECRET: `whsec_${crypto.randomBytes(24).toString("base64")}`, OUTBOX_INTERVAL_MS: "300" };
    const pair = [startWorker(env), startWorker(env)];
    await Promise.all(pair.map((worker) => worker.ready));
    // The health page's list: both workers, by process.
    expect(await alivePids()).toEqual(pair.map((worker) => worker.process.pid).sort());

    const ids = await emit(40);
    const delivered = () => received.filter((r) => r.path === "/erp").map((r) => r.webhookId);
    await expect.poll(() => new Set(delivered()).size, { timeout: 90_000, interval: 200 }).toBe(ids.length);
    expect(new Set(delivered())).toEqual(new Set(ids));
    // Every delivery is marked done, so none can be sent again: each event arrived exactly once.
    await expect.poll(() => fresh.db.outboxMessage.count({ where: { topic: { startsWith: "backoffice.delivery:" }, status: { not: "DELIVERED" } } }), { timeout: 30_000 }).toBe(0);
    expect(delivered()).toHaveLength(ids.length);

    for (const worker of pair) worker.process.kill("SIGTERM");
    await Promise.all(pair.map((worker) => worker.exited));
    await expect.poll(alivePids, { timeout: 30_000 }).toEqual([]);
  });

  it("lose nothing when one is killed in the middle of a burst: the other delivers the rest, a repeat only under its one webhook id", async () => {
    const endpoint = `slow=http://127.0.0.1:${(receiver.address() as { port: number }).port}/slow`;
    // A short lease, so what the killed worker held passes to the survivor within seconds.
    const env = { BACKOFFICE_ENDPOINTS: endpoint, BACKOFFICE_SIGNING_SECRET: `whsec_${crypto.randomBytes(24).toString("base64")}`, OUTBOX_INTERVAL_MS: "300", OUTBOX_LEASE_SECONDS: "2" };
    const pair = [startWorker(env), startWorker(env)];
    await Promise.all(pair.map((worker) => worker.ready));

    const ids = await emit(150);
    const delivered = () => received.filter((r) => r.path === "/slow").map((r) => r.webhookId);
    await expect.poll(() => delivered().length, { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual(20);
    // The worker delivering the burst dies, holding its job and the events it had claimed.
    const victim = (await runningDuty("back-office-webhooks")) ?? pair[0];
    const survivor = pair.find((worker) => worker !== victim)!;
    victim.process.kill("SIGKILL");
    await victim.exited;
    expect(new Set(delivered()).size, "the burst was still going when the worker died").toBeLessThan(ids.length);

    await expect.poll(() => new Set(delivered()).size, { timeout: 90_000, interval: 200 }).toBe(ids.length);
    expect(new Set(delivered())).toEqual(new Set(ids));
    await expect.poll(() => fresh.db.outboxMessage.count({ where: { topic: "backoffice.delivery:slow", status: { not: "DELIVERED" } } }), { timeout: 30_000 }).toBe(0);
    // Each worker sends one delivery at a time: at most the one the killed worker had in flight
    // arrives twice, under the same webhook id, which the back office drops (Standard Webhooks).
    expect(delivered().length - ids.length).toBeLessThanOrEqual(1);

    survivor.process.kill("SIGTERM");
    await survivor.exited;
  });

  it("wakes up when a web process kicks, instead of waiting for its interval", async () => {
    const host = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
    const worker = startWorker({ POSTHOG_HOST: host, POSTHOG_KEY: "phc_worker_test", OUTBOX_INTERVAL_MS: String(60 * 60 * 1000) });
    await worker.ready;
    // The run every worker makes at start is over: the next one is an hour away.
    const nextRun = () => fresh.db.$queryRaw<{ later: boolean }[]>`SELECT run_at > now() + interval '30 minutes' AS later FROM graphile_worker.jobs WHERE key = 'posthog-outbox'`;
    await expect.poll(nextRun, { timeout: 60_000 }).toEqual([{ later: true }]);
    const uuid = crypto.randomUUID();
    const event = { uuid, event: "signup_started_viewed", distinctId: "anon-1", timestamp: new Date().toISOString(), properties: {} } satisfies QueuedPostHogEvent;
    await fresh.db.outboxMessage.create({ data: { topic: "posthog", dedupeKey: uuid, payload: event } });

    await kickDuties(fresh.db);
    await expect.poll(() => fresh.db.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: uuid } }).then((row) => row.status), { timeout: 60_000 }).toBe("DELIVERED");
    expect(received.some((r) => r.path.includes("batch"))).toBe(true);
  });
});
