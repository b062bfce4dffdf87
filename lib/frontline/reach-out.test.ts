// An agent's offer of help answered on a real PostgreSQL: what the case the offer opened says
// afterwards, to the agents who pick it up.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSession } from "@/lib/accounts/sessions";
import { caseDetail } from "@/lib/cases/cases";
import { ingestBrowserBatch } from "@/lib/trail/ingest";
import { recordStep, type TrailActor } from "@/lib/trail/server";
import { freshDatabase, type FreshDatabase } from "@/tests/support/db";
import { createCustomer, createOrder } from "@/tests/support/orders";
import { answerOffer, offerHelp } from "./reach-out";

let database: FreshDatabase;
let agentId: string;

beforeAll(async () => {
  database = await freshDatabase();
  agentId = (await database.db.user.create({ data: { name: "Agent", email: "agent-reach-out@example.com", role: "AGENT" } })).id;
});
afterAll(() => database.drop());

async function offeredCustomer(name: string) {
  const userId = (await database.db.user.create({ data: { name, email: `${name}@example.com`, role: "CUSTOMER" } })).id;
  const actor: TrailActor & { userId: string } = { userId, distinctId: userId, anonymousId: null, deviceClass: "DESKTOP", consent: false };
  const journeyId = crypto.randomUUID();
  await recordStep(database.db, actor, { journeyId, type: "password_change", step: "form", action: "viewed" });
  const offer = await offerHelp(database.db, agentId, journeyId);
  if (!offer.ok || !offer.caseNumber) throw new Error("no offer was made");
  return { actor, offerId: offer.offerId, caseNumber: offer.caseNumber };
}

describe("answering an agent's offer of help", () => {
  it("accepted, leaves its case open for whoever takes it, with no outcome, and says so in the case's history", async () => {
    const { actor, offerId, caseNumber } = await offeredCustomer("accepting");
    const answeredAt = new Date("2026-12-06T12:00:00Z");
    expect((await answerOffer(database.db, actor, offerId, "accepted", answeredAt)).ok).toBe(true);

    const detail = await caseDetail(database.db, caseNumber);
    expect(detail?.case).toMatchObject({ status: "OPEN", assignedToId: null, outcome: null });
    expect(detail?.history).toEqual([{ at: answeredAt, text: "Customer accepted the agent's offer of help" }]);
  });

  it("declined, closes the case it opened with that as its outcome", async () => {
    const { actor, offerId, caseNumber } = await offeredCustomer("declining");
    await answerOffer(database.db, actor, offerId, "declined");

    const detail = await caseDetail(database.db, caseNumber);
    expect(detail?.case).toMatchObject({ status: "CLOSED", outcome: "Customer declined the agent's offer of help" });
    expect(detail?.history).toEqual([]);
  });
});

describe("the case an agent's offer opens", () => {
  /** The customer's attempt at a return, its steps sent from `pathname` as their browser sends them. */
  async function returnAttemptOn(customer: { id: string; analyticsId: string }, pathname: string) {
    const journeyId = crypto.randomUUID();
    const sessionId = (await openSession(database.db, customer.id, "vitest")).id;
    const step = { event: "return_items_viewed", uuid: crypto.randomUUID(), timestamp: new Date().toISOString(), distinctId: customer.analyticsId, properties: { journey_id: journeyId, step: "items", $pathname: pathname } };
    expect((await ingestBrowserBatch(database.db, [step], { forwarding: false, sessionId })).stored).toBe(1);
    return journeyId;
  }

  it("names the order whose page the customer was on, as 'Talk to a person' there would", async () => {
    const ada = await createCustomer(database.db, "Ada");
    const order = await createOrder(database.db, ada.id, { status: "DELIVERED" });
    const offered = await offerHelp(database.db, agentId, await returnAttemptOn(ada, `/orders/${order.number}/return`));
    const actor: TrailActor & { userId: string } = { userId: ada.id, distinctId: ada.analyticsId, anonymousId: null, deviceClass: "DESKTOP", consent: false };
    expect(offered.ok && (await answerOffer(database.db, actor, offered.offerId, "accepted")).ok).toBe(true);

    expect((await caseDetail(database.db, offered.caseNumber!))?.about).toEqual({ orderNumber: order.number, returnNumber: null });
  });

  it("names nothing when the page's address carries another customer's order", async () => {
    const ada = await createCustomer(database.db, "Ada");
    const bobsOrder = await createOrder(database.db, (await createCustomer(database.db, "Bob")).id, { status: "DELIVERED" });
    const offered = await offerHelp(database.db, agentId, await returnAttemptOn(ada, `/orders/${bobsOrder.number}/return`));

    expect((await caseDetail(database.db, offered.caseNumber!))?.about).toEqual({ orderNumber: null, returnNumber: null });
  });
});
