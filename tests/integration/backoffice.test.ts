// Business events to the back office over real HTTP (the stand-in verifies every signature) from a
// real PostgreSQL outbox: fan-out per endpoint, outages, backoff, dead letters and their replay.
import crypto from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openCase, resolveCase } from "@/lib/cases/cases";
import { deliverBusinessEvents, deliveryTopic, type BackOfficeConfig } from "@/lib/integrations/backoffice";
import { emitBusinessEvent, BUSINESS_EVENT_TOPIC } from "@/lib/integrations/business-events";
import { parseConfig } from "@/lib/config/env";
import { DOWN_AFTER_MINUTES, integrationsHealth, replayDeadLetters, stuckMessages } from "@/lib/integrations/health";
import { MAX_ATTEMPTS } from "@/lib/outbox/outbox";
import { startBackOfficeStandIn, type BackOfficeStandIn } from "../../e2e/support/backoffice-stand-in";
import { freshDatabase, type FreshDatabase } from "../support/db";

const newSecret = () => `whsec_${crypto.randomBytes(32).toString("base64")}`;
const secrets = { erp: newSecret(), crm: newSecret() };

let database: FreshDatabase;
let backOffice: BackOfficeStandIn;
let config: BackOfficeConfig;

beforeAll(async () => {
  database = await freshDatabase();
  backOffice = await startBackOfficeStandIn({ port: 0, secret: secrets });
  // A loaded test machine can be slow to answer; a timed-out delivery would be retried and received twice.
  const timeoutMs = 120_000;
  config = { endpoints: [
    { name: "erp", url: backOffice.endpointUrl("erp"), secret: secrets.erp, timeoutMs },
    { name: "crm", url: backOffice.endpointUrl("crm"), secret: secrets.crm, timeoutMs },
  ] };
});
afterAll(async () => {
  await backOffice.close();
  await database.drop();
});
beforeEach(async () => {
  backOffice.setDown(false);
  backOffice.clear();
  await database.db.outboxMessage.deleteMany();
});

const db = () => database.db;
const tick = () => deliverBusinessEvents(db(), config);
const emit = (orderNumber: string) => db().$transaction((tx) => emitBusinessEvent(tx, "order.cancelled", { orderNumber, fully: true, refundMinor: 3500, currency: "EUR" }));
/** Lets every waiting row be tried now, as if its backoff had passed. */
const backoffPassed = () => db().outboxMessage.updateMany({ where: { status: "PENDING" }, data: { nextAttemptAt: new Date() } });
const rowsOf = (endpoint: string) => db().outboxMessage.findMany({ where: { topic: deliveryTopic(endpoint) }, orderBy: { createdAt: "asc" } });

function expectEachOnce(endpoint: string, eventIds: string[]) {
  const counts = backOffice.acceptedCounts(endpoint);
  expect([...counts.keys()].sort()).toEqual([...eventIds].sort());
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
}

describe("signed business events to the back office", () => {
  it("delivers each event to every endpoint, signed with that endpoint's secret, in the documented envelope", async () => {
    const id = await emit("WM-100001");
    expect(await tick()).toMatchObject({ fannedOut: { delivered: 1 }, endpoints: [{ endpoint: "erp", delivered: 1 }, { endpoint: "crm", delivered: 1 }] });

    for (const endpoint of ["erp", "crm"] as const) {
      // "valid": verified by the stand-in with this endpoint's own secret.
      const [delivery] = backOffice.deliveries(endpoint);
      expect(delivery).toMatchObject({ webhookId: id, type: "order.cancelled", signature: "valid", status: 200 });
      expect(delivery.body).toMatchObject({ id, type: "order.cancelled", data: { orderNumber: "WM-100001", fully: true, refundMinor: 3500, currency: "EUR" } });
      expect(Date.parse((delivery.body as { timestamp: string }).timestamp)).not.toBeNaN();
    }
    expect((await db().outboxMessage.findMany()).every((row) => row.status === "DELIVERED")).toBe(true);
    await backoffPassed();
    expect(await tick()).toMatchObject({ fannedOut: { delivered: 0 }, endpoints: [{ delivered: 0 }, { delivered: 0 }] });
    expect(backOffice.deliveries()).toHaveLength(2);
  });

  it("tells the back office how a case ended: an agent's resolution reaches it as case.closed with outcome resolved_by_agent", async () => {
    const customer = await db().user.create({ data: { name: "Case Customer", email: "case-closed@example.com", role: "CUSTOMER" } });
    const agent = await db().user.create({ data: { name: "Case Agent", email: "case-closed-agent@example.com", role: "AGENT" } });
    const opened = await openCase(db(), { userId: customer.id, channel: "CHAT", reason: "order_status" });
    expect(await resolveCase(db(), { number: opened.number, agentId: agent.id, outcome: "Told the customer where the parcel is." })).toEqual({ ok: true });
    await tick();

    const closed = backOffice.deliveries("erp").filter((d) => d.type === "case.closed");
    expect(closed.map((d) => [d.signature, (d.body as { data: unknown }).data])).toEqual([["valid", { caseNumber: opened.number, outcome: "resolved_by_agent" }]]);
  });

  it("keeps an endpoint's events while it is down, backs off, and delivers each exactly once after it recovers; the other endpoint is not held up", async () => {
    backOffice.setDown(true, "erp");
    const ids = [await emit("WM-100002"), await emit("WM-100003"), await emit("WM-100004")];

    const duringOutage = await tick();
    expect(duringOutage.endpoints).toEqual([
      // One probe per tick while it fails; the rest wait, instead of hammering a failing endpoint.
      { endpoint: "erp", delivered: 0, failed: 1 },
      { endpoint: "crm", delivered: 3, failed: 0 },
    ]);
    expectEachOnce("crm", ids);
    const failed = (await rowsOf("erp")).find((row) => row.attempts === 1)!;
    expect(failed).toMatchObject({ status: "PENDING", lastError: "erp answered 503" });
    expect(failed.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());

    // Still down for a while: every row gets tried and backs off, none is lost.
    await tick();
    await tick();
    expect((await rowsOf("erp")).map((row) => [row.status, row.attempts])).toEqual([["PENDING", 1], ["PENDING", 1], ["PENDING", 1]]);
    const [health] = (await integrationsHealth(db(), parseConfig({ BACKOFFICE_ENDPOINTS: "erp=http://x,crm=http://y", BACKOFFICE_SIGNING_SECRET: secrets.erp }))).filter((h) => h.key === "backoffice:erp");
    expect(health).toMatchObject({ state: "degraded", queued: 3, failing: 3, dead: 0, lastError: "erp answered 503" });

    backOffice.setDown(false, "erp");
    // Nothing is retried before its backoff has passed ...
    expect((await tick()).endpoints[0]).toEqual({ endpoint: "erp", delivered: 0, failed: 0 });
    // ... then everything goes, once per endpoint.
    await backoffPassed();
    expect((await tick()).endpoints[0]).toEqual({ endpoint: "erp", delivered: 3, failed: 0 });
    expectEachOnce("erp", ids);
    expectEachOnce("crm", ids);
    expect(backOffice.deliveries().every((d) => d.signature === "valid")).toBe(true);
    expect(backOffice.deliveries("erp").filter((d) => d.status === 503).every((d) => ids.includes(d.webhookId!))).toBe(true);
  });

  it("says an endpoint is unreachable without naming its URL", async () => {
    await emit("WM-100005");
    const unreachable = { name: "erp", url: "http://user:pw@127.0.0.1:9/hook?token=abc", secret: secrets.erp };
    await deliverBusinessEvents(db(), { endpoints: [unreachable] });
    const [row] = await rowsOf("erp");
    expect(row.lastError).toMatch(/^erp unreachable \(\w+\)$/);
  });

  it("never sends the same event twice to an endpoint when fan-out is repeated or workers run side by side", async () => {
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => emit(`WM-2000${String(i).padStart(2, "0")}`)));
    await tick();
    // A fan-out interrupted before its event rows were marked done runs again: nothing doubles.
    await db().outboxMessage.updateMany({ where: { topic: BUSINESS_EVENT_TOPIC }, data: { status: "PENDING", nextAttemptAt: new Date() } });
    await Promise.all([tick(), tick(), tick()]);
    expect(await db().outboxMessage.count({ where: { topic: { startsWith: "backoffice.delivery:" } } })).toBe(24);
    expectEachOnce("erp", ids);
    expectEachOnce("crm", ids);
  });

  it("dead-letters an event after the last attempt, and a staff replay delivers it exactly once", async () => {
    backOffice.setDown(true, "crm");
    const id = await emit("WM-100006");
    await tick();
    // Simulates a day of failed attempts: the next failure is the last one allowed.
    await db().outboxMessage.updateMany({ where: { topic: deliveryTopic("crm") }, data: { attempts: MAX_ATTEMPTS - 1, nextAttemptAt: new Date() } });
    await tick();
    const [dead] = await rowsOf("crm");
    expect(dead).toMatchObject({ status: "DEAD", attempts: MAX_ATTEMPTS, lastError: "crm answered 503" });
    // Dead letters are never picked up again by themselves.
    backOffice.setDown(false, "crm");
    await tick();
    expect(backOffice.acceptedCounts("crm").size).toBe(0);
    expect((await stuckMessages(db())).messages).toEqual([expect.objectContaining({ id: dead.id, status: "DEAD", topic: "backoffice.delivery:crm" })]);

    expect(await replayDeadLetters(db(), { ids: [dead.id] }, "agent-1")).toBe(1);
    const replayed = (await rowsOf("crm"))[0];
    expect(replayed).toMatchObject({ status: "PENDING", attempts: 0 });
    expect(replayed.lastError).toMatch(/^replayed by agent agent-1 at .+; before: crm answered 503$/);
    // Replaying again (a double click) finds nothing dead.
    expect(await replayDeadLetters(db(), { ids: [dead.id] }, "agent-1")).toBe(0);
    // Queued two days ago, but failing only since the replay: not listed as stuck, even while a worker holds it.
    await db().outboxMessage.update({ where: { id: dead.id }, data: { createdAt: new Date(Date.now() - 2 * 86_400_000), attempts: 1 } });
    expect((await stuckMessages(db())).messages).toEqual([]);
    const later = new Date(Date.now() + (DOWN_AFTER_MINUTES + 1) * 60_000);
    expect((await stuckMessages(db(), { now: later })).messages).toEqual([expect.objectContaining({ id: dead.id, status: "PENDING" })]);
    await db().outboxMessage.update({ where: { id: dead.id }, data: { attempts: 0 } });

    await tick();
    expectEachOnce("crm", [id]);
    expectEachOnce("erp", [id]);
    expect((await rowsOf("crm"))[0]).toMatchObject({ status: "DELIVERED", lastError: null });
  });

  it("replays every dead letter of one endpoint and leaves the other endpoint's alone", async () => {
    backOffice.setDown(true);
    const ids = [await emit("WM-100007"), await emit("WM-100008")];
    await tick();
    await tick();
    await db().outboxMessage.updateMany({ where: { topic: { startsWith: "backoffice.delivery:" } }, data: { attempts: MAX_ATTEMPTS - 1, nextAttemptAt: new Date() } });
    await tick();
    await tick();
    expect(await db().outboxMessage.count({ where: { status: "DEAD" } })).toBe(4);

    backOffice.setDown(false);
    expect(await replayDeadLetters(db(), { topics: [deliveryTopic("erp")] }, "agent-1")).toBe(2);
    await tick();
    expectEachOnce("erp", ids);
    expect(backOffice.acceptedCounts("crm").size).toBe(0);
    expect(await db().outboxMessage.count({ where: { topic: deliveryTopic("crm"), status: "DEAD" } })).toBe(2);
  });
});
