// The background duties run in worker processes (scripts/worker.ts, graphile-worker), apart from the
// web processes: two web processes and two workers on one database take a burst of business events,
// emails, trail events and refunds, one worker is killed (SIGKILL) in the middle, and every effect
// still happens exactly once at its receiver. A bad setting stops a worker in one line, and a web
// process's kick (lib/jobs/kick.ts) runs a duty long before its next run. The health page's verdict
// on the background work follows the workers.
import { type ChildProcess, spawn } from "node:child_process";
import crypto from "node:crypto";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELIVERY_TOPIC_PREFIX } from "@/lib/integrations/backoffice";
import { BUSINESS_EVENT_TOPIC } from "@/lib/integrations/business-events";
import type { QueuedPostHogEvent } from "@/lib/integrations/posthog";
import { DUTIES } from "@/lib/jobs/duties";
import { assessJobs, dutyRuns } from "@/lib/jobs/health";
import { kickDuties } from "@/lib/jobs/kick";
import { workerSightings } from "@/lib/jobs/workers";
import { NOTIFY_EMAIL_TOPIC } from "@/lib/notify/notify";
import { REFUND_TOPIC } from "@/lib/payments/refunds";
import { createStripeClient } from "@/lib/payments/stripe";
import { SIGNATURE_HEADER, signCarrierPayload } from "@/lib/returns/carrier-webhook";
import { submitReturn } from "@/lib/returns/returns";
import { OUTSIDE_NEXT } from "@/scripts/support/outside-next-path";
import { startPostHogStandIn, type PostHogStandIn } from "../../e2e/support/posthog-stand-in";
import { startSmtpCapture, type SmtpCapture } from "../../e2e/support/smtp-capture";
import { startStripeStandIn, type StripeStandIn } from "../../e2e/support/stripe-stand-in";
import { type FreshDatabase, freshDatabase } from "../support/db";
import { queuedPostHogEvents } from "../support/posthog-queue";
import { createDeliveredOrder, createReturnCustomer } from "../support/returns-fixtures";

type Child = { process: ChildProcess; ready: Promise<string>; exited: Promise<void> };

// Short beats, so a killed worker counts as gone (and its job is released) within seconds.
const HEARTBEAT_SECONDS = 2;
// A short lease, so what the killed worker had claimed passes to the survivor within seconds; still
// far longer than one delivery (one webhook, one Stripe call, one email) takes on a loaded machine,
// the held one included (it is released as soon as its worker is killed).
const LEASE_SECONDS = "12";
const CARRIER_SECRET = crypto.randomBytes(24).toString("hex");
// The outbox topics of the services this test stands in for (no carrier or SMS provider: labels and texts wait).
const DELIVERED_TOPICS = [{ topic: { in: [BUSINESS_EVENT_TOPIC, "posthog", REFUND_TOPIC, NOTIFY_EMAIL_TOPIC] } }, { topic: { startsWith: DELIVERY_TOPIC_PREFIX } }];

describe("worker processes", () => {
  let fresh: FreshDatabase;
  let backOffice: http.Server;
  let posthog: PostHogStandIn;
  let stripeStandIn: StripeStandIn;
  let mail: SmtpCapture;
  const webhookIds: string[] = [];
  let holdingAnswers = false;
  const heldAnswers: (() => void)[] = [];
  const children: Child[] = [];

  /** A TypeScript entry point in a process of its own; ready resolves with the first line containing `readyText`. */
  function start(script: string, readyText: string, env: Record<string, string>): Child {
    const child = spawn(process.execPath, ["--import", "tsx", "--import", OUTSIDE_NEXT, script], {
      // Every process of one portal shares its secret, as `npm start` gives it (emails carry signed links).
      env: { ...process.env, DATABASE_URL: fresh.url, NEXTAUTH_SECRET: "worker-test-secret", ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    // A process that stops before it is ready fails the test at once, with its exit code (its own words are on stderr above).
    const ready = new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        const line = chunk.toString().split("\n").find((l) => l.includes(readyText));
        if (line) resolve(line);
      });
      child.once("exit", (code, signal) => reject(new Error(`${script} stopped (${signal ?? `exit code ${code}`}) before it printed "${readyText}"`)));
    });
    const started = { process: child, ready, exited };
    children.push(started);
    return started;
  }

  const startWorker = (env: Record<string, string>) => start("scripts/worker.ts", "running background jobs", { WORKER_HEARTBEAT_SECONDS: String(HEARTBEAT_SECONDS), ...env });

  async function alivePids(): Promise<number[]> {
    const sightings = await workerSightings(fresh.db, HEARTBEAT_SECONDS);
    return sightings.filter((worker) => worker.alive).map((worker) => Number(worker.name.split(":").at(-1))).sort();
  }

  /** The worker process whose job slots run the most duties now (the one a kill hurts most). */
  async function busiestWorker(candidates: Child[]): Promise<Child | undefined> {
    const running = await fresh.db.$queryRaw<{ lockedBy: string }[]>`SELECT locked_by AS "lockedBy" FROM graphile_worker.jobs WHERE locked_by IS NOT NULL`;
    const processes = await fresh.db.workerProcess.findMany();
    const load = (child: Child) => {
      const owner = processes.find((p) => p.id.endsWith(`:${child.process.pid}`));
      return running.filter((job) => owner?.jobWorkers.includes(job.lockedBy)).length;
    };
    return [...candidates].sort((a, b) => load(b) - load(a)).find((child) => load(child) > 0);
  }

  beforeAll(async () => {
    [fresh, posthog, stripeStandIn, mail] = await Promise.all([freshDatabase(), startPostHogStandIn({ port: 0 }), startStripeStandIn({ port: 0 }), startSmtpCapture({ port: 0 })]);
    backOffice = http.createServer((request, response) => {
      const webhookId = request.headers["webhook-id"];
      if (typeof webhookId === "string") webhookIds.push(webhookId);
      request.resume();
      // The first delivery while holding is not answered until released: the worker killed then
      // dies with a delivery in flight, whatever the machine's speed.
      request.on("end", () => (holdingAnswers && heldAnswers.length === 0 ? heldAnswers.push(() => response.end("ok")) : response.end("ok")));
    });
    await new Promise<void>((resolve) => backOffice.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    for (const child of children) child.process.kill("SIGTERM");
    await Promise.all(children.map((child) => child.exited));
    await Promise.all([new Promise<void>((resolve) => backOffice.close(() => resolve())), posthog?.close(), stripeStandIn?.close(), mail?.close()]);
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

  it("two web processes and two workers, one killed midway: every business event, email, trail event and refund happens once", { timeout: 180_000 }, async () => {
    const stripe = createStripeClient({ secretKey: "sk_test_workers", apiBase: new URL(stripeStandIn.url) });
    const RETURNS = 8;
    const TRAIL_BATCHES = 16;

    const secret = `whsec_${crypto.randomBytes(24).toString("base64")}`;
    const services = {
      BACKOFFICE_ENDPOINTS: `erp=http://127.0.0.1:${(backOffice.address() as { port: number }).port}/erp`,
      BACKOFFICE_SIGNING_SECRET: secret,
      POSTHOG_HOST: posthog.url,
      POSTHOG_KEY: "phc_workers",
      STRIPE_SECRET_KEY: "sk_test_workers",
      STRIPE_API_BASE: stripeStandIn.url,
      SMTP_URL: mail.url,
      CARRIER_WEBHOOK_SECRET: CARRIER_SECRET,
    };
    const workers = [startWorker({ ...services, OUTBOX_INTERVAL_MS: "300", OUTBOX_LEASE_SECONDS: LEASE_SECONDS }), startWorker({ ...services, OUTBOX_INTERVAL_MS: "300", OUTBOX_LEASE_SECONDS: LEASE_SECONDS })];
    const webs = [start("tests/support/web-process.ts", "listening on", services), start("tests/support/web-process.ts", "listening on", services)];
    // While they start: returns on their way back, of orders paid by card at the Stripe stand-in.
    async function returnOnItsWay() {
      const { user, actor } = await createReturnCustomer(fresh.db);
      const { order, lines } = await createDeliveredOrder(fresh.db, user.id, { lines: [{ quantity: 1, unitPriceMinor: 3000, taxMinor: 0 }], shippingMinor: 0 });
      const card = stripeStandIn.attachTestCard((await stripe.customers.create({})).id);
      const intent = await stripe.paymentIntents.create({ amount: order.totalMinor, currency: "gbp", customer: String(card.customer), payment_method: card.id, confirm: true, off_session: true });
      await fresh.db.order.update({ where: { id: order.id }, data: { stripePaymentIntentId: intent.id } });
      const request = { orderNumber: order.number, idempotencyKey: crypto.randomUUID(), resolution: "REFUND" as const, method: "DROP_OFF" as const, lines: [{ lineId: lines[0].id, quantity: 1, reason: "damaged" as const, note: null, photo: null, exchangeVariantId: null }] };
      const outcome = await submitReturn(fresh.db, { userId: user.id, actor, journeyId: crypto.randomUUID(), request });
      if (!outcome.ok) throw new Error(`return refused: ${outcome.code}`);
      return outcome.returnNumber;
    }
    const returnNumbers: string[] = [];
    for (let n = 0; n < RETURNS; n++) returnNumbers.push(await returnOnItsWay());

    const webUrls = (await Promise.all(webs.map((web) => web.ready))).map((line) => `http://127.0.0.1:${line.split(" ").at(-1)}`);
    await Promise.all(workers.map((worker) => worker.ready));
    // The health page's list: both workers, by process.
    await expect.poll(alivePids, { timeout: 30_000 }).toEqual(workers.map((worker) => worker.process.pid).sort());

    // The burst, through the web processes in turn: each parcel arriving at the warehouse (business
    // event, refund, then the customer's email), and posthog-js batches of trail events.
    const trailIds: string[] = [];
    let turn = 0;
    const post = async (path: string, body: string, headers: Record<string, string>) => {
      const response = await fetch(`${webUrls[turn++ % webUrls.length]}${path}`, { method: "POST", body, headers });
      expect(response.status, `${path} answered`).toBe(200);
    };
    const parcelArrives = (reference: string) => {
      const body = JSON.stringify({ id: `evt_${crypto.randomUUID()}`, type: "return.received", occurredAt: new Date().toISOString(), data: { reference } });
      return post("/api/carrier/webhook", body, { "content-type": "application/json", [SIGNATURE_HEADER]: signCarrierPayload(CARRIER_SECRET, body) });
    };
    const trailBatch = () => {
      const [journeyId, deviceId] = [crypto.randomUUID(), crypto.randomUUID()];
      const at = new Date().toISOString();
      const batch = [
        { event: "signup_details_viewed", uuid: crypto.randomUUID(), timestamp: at, properties: { distinct_id: deviceId, $device_id: deviceId, journey_id: journeyId, step: "details" } },
        ...Array.from({ length: 4 }, () => ({ event: "$pageview", uuid: crypto.randomUUID(), timestamp: at, properties: { distinct_id: deviceId, $current_url: "http://portal.test/orders" } })),
      ];
      trailIds.push(...batch.map((event) => event.uuid));
      return post("/ingest/e/", JSON.stringify(batch), { "content-type": "text/plain" });
    };
    const burst = async (from: number, to: number) => {
      for (let n = from; n < to; n++) {
        if (n < RETURNS) await parcelArrives(returnNumbers[n]);
        await trailBatch();
      }
    };

    // During the burst: the first business event to reach the back office from now on is held
    // unanswered, and the worker sending it (the one running the most duties) dies at once.
    holdingAnswers = true;
    const killedMidway = (async () => {
      await expect.poll(() => heldAnswers.length, { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual(1);
      const victim = (await busiestWorker(workers)) ?? workers[0];
      victim.process.kill("SIGKILL");
      await victim.exited;
      const deliveredBeforeKill = new Set(webhookIds).size;
      holdingAnswers = false;
      for (const answer of heldAnswers.splice(0)) answer();
      return { victim, deliveredBeforeKill };
    })();
    await burst(0, TRAIL_BATCHES);
    const { victim, deliveredBeforeKill } = await killedMidway;

    // Everything settles: every return refunded (Stripe answered, the customer told), every outbox row and email delivered.
    const settled = async () => ({
      returns: await fresh.db.return.count({ where: { number: { in: returnNumbers }, status: { not: "REFUNDED" } } }),
      outbox: await fresh.db.outboxMessage.count({ where: { status: { not: "DELIVERED" }, OR: DELIVERED_TOPICS } }),
      emails: await fresh.db.emailMessage.count({ where: { status: { not: "SENT" } } }),
    });
    await expect.poll(settled, { timeout: 90_000, interval: 250 }).toEqual({ returns: 0, outbox: 0, emails: 0 });
    const businessEvents = (await fresh.db.outboxMessage.findMany({ where: { topic: BUSINESS_EVENT_TOPIC }, select: { dedupeKey: true } })).map((row) => row.dedupeKey);
    expect(deliveredBeforeKill, "the worker died in the middle of the burst").toBeLessThan(businessEvents.length);
    const emails = await fresh.db.emailMessage.findMany({ select: { id: true } });
    const refunds = await fresh.db.refund.findMany({ where: { status: "SUCCEEDED" }, select: { idempotencyKey: true, amountMinor: true } });
    const refundCalls = stripeStandIn.requests().filter((r) => r.method === "POST" && r.path === "/v1/refunds" && r.status === 200);
    const phEvents = posthog.events().map((event) => event.uuid);
    const mails = mail.messages().map((message) => message.messageId);

    // Every effect arrived.
    expect(new Set(webhookIds)).toEqual(new Set(businessEvents));
    expect(refunds).toHaveLength(RETURNS);
    const forwarded = (await queuedPostHogEvents(fresh.db)).map((event) => event.uuid);
    expect(forwarded).toEqual(expect.arrayContaining(trailIds));
    expect(new Set(phEvents)).toEqual(new Set(forwarded));
    expect(new Set(mails)).toEqual(new Set(emails.map((email) => `<${email.id}@waymark.email>`)));
    // Money moved once per refund: Stripe created one refund for each idempotency key, whatever was sent twice.
    expect(refundCalls.filter((call) => !call.replayed).map((call) => call.idempotencyKey).sort()).toEqual(refunds.map((refund) => refund.idempotencyKey).sort());
    // Repeats: at most what the killed worker had in flight. A duty runs one run at a time across
    // the workers, one delivery after another, so that is one request per destination (one batch
    // for PostHog), repeated under the id its receiver de-duplicates by (webhook id, idempotency
    // key, event uuid, Message-ID).
    const repeats = {
      backOffice: webhookIds.length - new Set(webhookIds).size,
      stripe: refundCalls.filter((call) => call.replayed).length,
      emails: mails.length - new Set(mails).size,
      posthogEvents: phEvents.length - new Set(phEvents).size,
    };
    console.log(
      `[worker test] ${businessEvents.length} business events, ${emails.length} emails, ${trailIds.length} trail events (${new Set(phEvents).size} events at PostHog), ${refunds.length} refunds; 1 worker killed after ${deliveredBeforeKill} deliveries; repeats ${JSON.stringify(repeats)}`,
    );
    expect(repeats.backOffice).toBeLessThanOrEqual(1);
    expect(repeats.stripe).toBeLessThanOrEqual(1);
    expect(repeats.emails).toBeLessThanOrEqual(1);
    expect(repeats.posthogEvents).toBeLessThanOrEqual(100);

    const survivor = workers.find((worker) => worker !== victim)!;
    survivor.process.kill("SIGTERM");
    await survivor.exited;
    await expect.poll(alivePids, { timeout: 30_000 }).toEqual([]);
  });

  // Each wait names itself when it runs out, well within the test's own time (a run takes 5-8 s).
  it("wakes up when a web process kicks, instead of waiting for its interval", { timeout: 150_000 }, async () => {
    const worker = startWorker({ POSTHOG_HOST: posthog.url, POSTHOG_KEY: "phc_worker_test", OUTBOX_INTERVAL_MS: String(60 * 60 * 1000) });
    await worker.ready;
    // The run every worker makes at start is over: the next one is an hour away.
    const nextRun = () => fresh.db.$queryRaw<{ later: boolean }[]>`SELECT run_at > now() + interval '30 minutes' AS later FROM graphile_worker.jobs WHERE key = 'posthog-outbox'`;
    await expect.poll(nextRun, { timeout: 40_000, message: "the run at start queued the next one an hour away" }).toEqual([{ later: true }]);
    const uuid = crypto.randomUUID();
    const event = { uuid, event: "signup_started_viewed", distinctId: "anon-1", timestamp: new Date().toISOString(), properties: {} } satisfies QueuedPostHogEvent;
    await fresh.db.outboxMessage.create({ data: { topic: "posthog", dedupeKey: uuid, payload: { events: [event] } } });

    await kickDuties(fresh.db);
    await expect
      .poll(() => fresh.db.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: uuid } }).then((row) => row.status), { timeout: 40_000, message: "the kicked delivery reached PostHog" })
      .toBe("DELIVERED");
    expect(posthog.events().map((e) => e.uuid)).toContain(uuid);

    // The health page: every duty has its run queued and a worker beats; once it stops, nothing runs them.
    const jobsHealth = async () => assessJobs(await workerSightings(fresh.db, HEARTBEAT_SECONDS), await dutyRuns(fresh.db, DUTIES), new Date());
    await expect.poll(async () => (await jobsHealth()).state, { timeout: 30_000, message: "the health page says the background work is ok" }).toBe("ok");
    expect((await jobsHealth()).duties.map((duty) => duty.name)).toEqual(DUTIES.map((duty) => duty.name));
    worker.process.kill("SIGTERM");
    await worker.exited;
    expect(await jobsHealth()).toMatchObject({ state: "down", reason: expect.stringMatching(/^No worker is running \(the last one was seen \d+ s ago\)/) });
  });
});
