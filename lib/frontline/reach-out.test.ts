// An agent's offer of help answered on a real PostgreSQL: what the case the offer opened says
// afterwards, to the agents who pick it up.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSession } from "@/lib/accounts/sessions";
import { caseDetail, openCase } from "@/lib/cases/cases";
import { ingestBrowserBatch } from "@/lib/trail/ingest";
import { recordStep, type TrailActor } from "@/lib/trail/server";
import { freshDatabase, type FreshDatabase } from "@/tests/support/db";
import { createCustomer, createOrder, createReturn } from "@/tests/support/orders";
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
  /** The customer's attempt at a task, its step seen on `pathname` as their browser sends it. */
  async function attemptOn(customer: { id: string; analyticsId: string }, [type, step]: ["return", "items"] | ["return_tracking", "list"], pathname: string) {
    const journeyId = crypto.randomUUID();
    const sessionId = (await openSession(database.db, customer.id, "vitest")).id;
    const seen = { event: `${type}_${step}_viewed`, uuid: crypto.randomUUID(), timestamp: new Date().toISOString(), distinctId: customer.analyticsId, properties: { journey_id: journeyId, step, $pathname: pathname } };
    expect((await ingestBrowserBatch(database.db, [seen], { forwarding: false, sessionId })).stored).toBe(1);
    return journeyId;
  }

  /** The customer says yes to the offer made on the attempt; its case's number. */
  async function accepted(customer: { id: string; analyticsId: string }, journeyId: string) {
    const offered = await offerHelp(database.db, agentId, journeyId);
    const actor: TrailActor & { userId: string } = { userId: customer.id, distinctId: customer.analyticsId, anonymousId: null, deviceClass: "DESKTOP", consent: false };
    if (!offered.ok || !offered.caseNumber || !(await answerOffer(database.db, actor, offered.offerId, "accepted")).ok) throw new Error("no offer was accepted");
    return offered.caseNumber;
  }

  it("names the order whose page the customer was on, as 'Talk to a person' there would", async () => {
    const ada = await createCustomer(database.db, "Ada");
    const order = await createOrder(database.db, ada.id, { status: "DELIVERED" });
    const caseNumber = await accepted(ada, await attemptOn(ada, ["return", "items"], `/orders/${order.number}/return`));

    expect((await caseDetail(database.db, caseNumber))?.about).toEqual({ orderNumber: order.number, returnNumber: null });
  });

  it("names nothing when the page's address carries another customer's order", async () => {
    const ada = await createCustomer(database.db, "Ada");
    const bobsOrder = await createOrder(database.db, (await createCustomer(database.db, "Bob")).id, { status: "DELIVERED" });
    const offered = await offerHelp(database.db, agentId, await attemptOn(ada, ["return", "items"], `/orders/${bobsOrder.number}/return`));

    expect((await caseDetail(database.db, offered.caseNumber!))?.about).toEqual({ orderNumber: null, returnNumber: null });
  });

  it("is the case 'Talk to a person' joins from the same attempt once accepted, now about the return asked from; another order's request opens its own", async () => {
    const ada = await createCustomer(database.db, "Ada");
    const order = await createOrder(database.db, ada.id, { status: "DELIVERED" });
    const ret = await createReturn(database.db, order);
    // Offered while the customer read their list of returns, which names none; accepted, they open the return and ask for a person.
    const journeyId = await attemptOn(ada, ["return_tracking", "list"], "/returns");
    const caseNumber = await accepted(ada, journeyId);
    const asked = await openCase(database.db, { userId: ada.id, channel: "PORTAL", reason: "talk_to_person:return_tracking:detail", journeyId, orderId: order.id, returnId: ret.id });

    expect(asked).toMatchObject({ number: caseNumber, joined: true });
    expect((await caseDetail(database.db, caseNumber))?.about).toEqual({ orderNumber: order.number, returnNumber: ret.number });
    const otherOrder = await createOrder(database.db, ada.id, { status: "DELIVERED" });
    const aboutAnother = await openCase(database.db, { userId: ada.id, channel: "PORTAL", reason: "talk_to_person:return_tracking:detail", journeyId, orderId: otherOrder.id });
    expect(aboutAnother).toMatchObject({ joined: false });
    expect(aboutAnother.number).not.toBe(caseNumber);
  });
});
