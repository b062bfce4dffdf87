// An agent's offer of help answered on a real PostgreSQL: what the case the offer opened says
// afterwards, to the agents who pick it up.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseDetail } from "@/lib/cases/cases";
import { recordStep, type TrailActor } from "@/lib/trail/server";
import { freshDatabase, type FreshDatabase } from "@/tests/support/db";
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
