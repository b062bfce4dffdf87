// The demo's queue: an agent opening the seeded portal finds cases waiting, opened by the portal's
// own case functions on the seeded customers' orders and returns, the same for the same seed,
// case numbers included.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseNumberFrom } from "@/lib/cases/case-number";
import { caseQueue } from "@/lib/cases/cases";
import { seedDemoData } from "@/lib/seed/demo";
import { AGENT_USER_ID } from "@/lib/seed/demo/accounts";
import { freshDatabase, type FreshDatabase } from "../support/db";

const now = new Date("2026-11-20T10:00:00Z");
let first: FreshDatabase;
let second: FreshDatabase;

beforeAll(async () => {
  [first, second] = await Promise.all([freshDatabase(), freshDatabase()]);
  await seedDemoData(first.db, { seed: 42, customers: 40, now });
  await seedDemoData(second.db, { seed: 42, customers: 40, now });
}, 600_000);
afterAll(async () => {
  await Promise.all([first.drop(), second.drop()]);
});

/** What an agent sees of the queue. */
async function queueOf(database: FreshDatabase) {
  const queue = await caseQueue(database.db, now);
  const returns = await database.db.return.findMany({ where: { id: { in: queue.flatMap((c) => (c.returnId ? [c.returnId] : [])) } }, select: { id: true, number: true, feeMinor: true, status: true } });
  return queue.map((c) => ({ number: c.number, customer: c.user?.name, status: c.status, agent: c.assignedToId, channel: c.channel, reason: c.reason, createdAt: c.createdAt, return: returns.find((r) => r.id === c.returnId) ?? null }));
}

describe("the demo's open cases", () => {
  it("has one waiting, one in progress with the demo agent and one about a return that carries a fee, the same for the same seed, numbered alike", async () => {
    const queue = await queueOf(first);
    expect(queue.map(({ customer, status, channel }) => ({ customer, status, channel }))).toEqual(
      expect.arrayContaining([
        { customer: "Grace Hopper", status: "OPEN", channel: "PHONE" },
        { customer: "Ada Lovelace", status: "IN_PROGRESS", channel: "CHAT" },
      ]),
    );
    expect(queue).toHaveLength(3);
    expect(queue.find((c) => c.status === "IN_PROGRESS")?.agent).toBe(AGENT_USER_ID);
    const aboutReturn = queue.find((c) => c.return);
    expect(aboutReturn).toMatchObject({ status: "OPEN", channel: "PORTAL", reason: "talk_to_person" });
    expect(aboutReturn?.return?.feeMinor).toBeGreaterThan(0);
    expect(["REQUESTED", "APPROVED", "IN_TRANSIT"]).toContain(aboutReturn?.return?.status);
    // Numbers as any case's are, which an agent can look up as typed.
    for (const { number } of queue) expect(caseNumberFrom(number)).toBe(number);
    expect(await queueOf(second)).toEqual(queue);
  });
});
