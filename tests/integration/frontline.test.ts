// The live view's rules against a real database: who looks stuck and why, and the reach-out's
// round trip through the trail and the case.
import crypto from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { liveJourneys, stuckFlags, STUCK_RULES } from "@/lib/frontline/live";
import { answerOffer, deliverOffer, offerHelp } from "@/lib/frontline/reach-out";
import { recordStep, type TrailActor } from "@/lib/trail/server";
import { freshDatabase, type FreshDatabase } from "../support/db";

let database: FreshDatabase;
let customer: { id: string; analyticsId: string };
let other: { id: string; analyticsId: string };
let agentId: string;

beforeAll(async () => {
  database = await freshDatabase();
  customer = await database.db.user.create({ data: { name: "Live Tester", email: "live@example.com", role: "CUSTOMER" } });
  other = await database.db.user.create({ data: { name: "Other", email: "other-live@example.com", role: "CUSTOMER" } });
  agentId = (await database.db.user.create({ data: { name: "Agent", email: "agent-live@example.com", role: "AGENT" } })).id;
});
afterAll(() => database.drop());
beforeEach(async () => {
  await database.db.reachOut.deleteMany();
  await database.db.case.deleteMany();
  await database.db.journey.deleteMany();
});

const actorOf = (who: { id: string; analyticsId: string }): TrailActor & { userId: string } => ({ userId: who.id, distinctId: who.analyticsId, anonymousId: null, deviceClass: "MOBILE", consent: false });
const secondsAgo = (seconds: number) => new Date(Date.now() - seconds * 1000);

async function failTimes(who: { id: string; analyticsId: string }, times: number) {
  const journeyId = crypto.randomUUID();
  await recordStep(database.db, actorOf(who), { journeyId, type: "password_change", step: "form", action: "viewed" }, secondsAgo(60));
  for (let i = 0; i < times; i++) await recordStep(database.db, actorOf(who), { journeyId, type: "password_change", step: "saved", action: "failed", errorCode: "wrong_password" }, secondsAgo(50 - i));
  return journeyId;
}

describe("the live view", () => {
  it("puts the customer whose step failed three times first, saying why, and leaves calm ones unflagged", async () => {
    const calm = await failTimes(other, 1);
    const stuck = await failTimes(customer, STUCK_RULES.sameStepFailures);
    const rows = await liveJourneys(database.db);
    expect(rows.map((r) => r.journeyId)).toEqual([stuck, calm]);
    expect(rows[0]).toMatchObject({ journey: "Change password", step: "saved", device: "MOBILE", failuresOnStep: 3 });
    expect(rows[0].flags.map((f) => f.code)).toContain("repeated_failure");
    expect(rows[1].flags).toEqual([]);
  });

  it("flags a long dwell, repeated validation errors and a high risk", () => {
    const calm = { failuresOnStep: 0, secondsOnStep: 10, validationCodes: [], risk: 0, riskWhy: "" };
    expect(stuckFlags(calm)).toEqual([]);
    expect(stuckFlags({ ...calm, secondsOnStep: STUCK_RULES.longDwellSeconds }).map((f) => f.code)).toEqual(["long_dwell"]);
    expect(stuckFlags({ ...calm, validationCodes: ["validation_error", "validation_error", "validation_error"] }).map((f) => f.code)).toEqual(["validation_errors"]);
    expect(stuckFlags({ ...calm, risk: STUCK_RULES.riskAt, riskWhy: "late deliveries (+24)" })[0].label).toContain("late deliveries");
  });
});

describe("one-click reach-out", () => {
  it("opens a case, is shown once on the customer's page, and records the answer in the trail and the case", async () => {
    const journeyId = await failTimes(customer, 3);
    const offered = await offerHelp(database.db, agentId, journeyId);
    expect(offered.ok).toBe(true);
    // Offering twice is one offer.
    expect(await offerHelp(database.db, agentId, journeyId)).toEqual(offered);

    expect(await deliverOffer(database.db, actorOf(other))).toBeNull();
    const shown = await deliverOffer(database.db, actorOf(customer));
    expect(shown).toMatchObject({ journeyType: "password_change", step: "saved" });
    await deliverOffer(database.db, actorOf(customer));
    expect((await answerOffer(database.db, actorOf(other), shown!.id, "accepted")).ok).toBe(false);
    expect((await answerOffer(database.db, actorOf(customer), shown!.id, "declined")).ok).toBe(true);

    const outcomes = await database.db.trailEvent.findMany({ where: { journeyId, kind: "INTERVENTION" }, orderBy: { occurredAt: "asc" } });
    expect(outcomes.map((e) => (e.properties as { outcome: string }).outcome)).toEqual(["shown", "dismissed"]);
    const [opened] = await database.db.case.findMany({ where: { journeyId } });
    expect(opened).toMatchObject({ status: "CLOSED", outcome: "Customer declined the agent's offer of help", channel: "PORTAL" });
    expect(await deliverOffer(database.db, actorOf(customer))).toBeNull();
  });

  it("refuses an attempt that is over or belongs to staff", async () => {
    expect((await offerHelp(database.db, agentId, crypto.randomUUID())).ok).toBe(false);
  });
});
