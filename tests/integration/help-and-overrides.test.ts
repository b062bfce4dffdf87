import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantGoodwill, overrideReturnForCustomer } from "@/lib/cases/agent-actions";
import { openCase, resolveCase } from "@/lib/cases/cases";
import { interventionLiftTable, overridesTable } from "@/lib/insights/help-and-overrides";
import { recordIntervention, recordStep } from "@/lib/trail/server";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { createCustomer, createOrder } from "../support/orders";

let database: FreshDatabase;
const today = new Date().toISOString().slice(0, 10);
const filter = { from: today, to: today, device: null, customer: null, journeyType: null };

beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

describe("help in place and overrides in the insights", () => {
  it("compares completion where help was offered with the hold-out group", async () => {
    const customer = await createCustomer(database.db);
    const actor = { userId: customer.id, distinctId: customer.analyticsId, deviceClass: "MOBILE" as const, consent: true };
    const attempt = async (group: "treatment" | "control", completes: boolean) => {
      const journeyId = crypto.randomUUID();
      await database.db.$transaction(async (tx) => {
        await recordIntervention(tx, actor, { journeyId, type: "return", step: "items", code: "same_error_twice", outcome: group === "control" ? "withheld" : "shown", group });
        if (completes) await recordStep(tx, actor, { journeyId, type: "return", step: "confirmation", action: "completed" });
      });
    };
    await attempt("treatment", true);
    await attempt("treatment", true);
    await attempt("treatment", false);
    await attempt("control", true);
    await attempt("control", false);
    const table = await interventionLiftTable(database.db, filter);
    expect(table.rows.map((r) => [r.cells.group, r.cells.attempts, r.cells.completionRate])).toEqual([
      ["offered", 3, 2 / 3],
      ["hold-out", 2, 0.5],
    ]);
  });

  it("counts overrides by rule and agent, with the resolved cases", async () => {
    const agent = await database.db.user.create({ data: { name: "Olga Override", email: "olga@waymark.test", role: "AGENT" } });
    const customer = await createCustomer(database.db);
    const order = await createOrder(database.db, customer.id, { status: "DELIVERED" });
    const opened = await openCase(database.db, { userId: customer.id, channel: "CHAT", reason: "complaint", orderId: order.id });
    await grantGoodwill(database.db, { caseNumber: opened.number, agentId: agent.id, request: { requestKey: crypto.randomUUID(), orderNumber: order.number, kind: "STORE_CREDIT", amount: 5, justification: "Late parcel and a long wait on the phone." } });
    await resolveCase(database.db, { number: opened.number, agentId: agent.id, outcome: "Credit added for the trouble." });
    const table = await overridesTable(database.db, filter);
    expect(table.rows.map((r) => [r.cells.rule, r.cells.agent, r.cells.overrides, r.cells.casesResolved])).toEqual([["Goodwill store credit", "Olga Override", 1, 1]]);
  });

  it("counts a rule set aside from a case about a task as resolved once that case is, and not for another case about its order", async () => {
    const agent = await database.db.user.create({ data: { name: "Tariq Task", email: "tariq@waymark.test", role: "AGENT" } });
    const customer = await createCustomer(database.db);
    const order = await createOrder(database.db, customer.id, { status: "DELIVERED" });
    // Asked for a person during a return: the case names the attempt, not the order.
    const asked = await openCase(database.db, { userId: customer.id, channel: "PORTAL", reason: "talk_to_person:return:items", journeyId: crypto.randomUUID() });
    const justification = "The customer was abroad when the return window closed.";
    expect(await overrideReturnForCustomer(database.db, { caseNumber: asked.number, agentId: agent.id, request: { orderNumber: order.number, rule: "window_closed", justification } })).toMatchObject({ ok: true });
    expect(await grantGoodwill(database.db, { caseNumber: asked.number, agentId: agent.id, request: { requestKey: crypto.randomUUID(), orderNumber: order.number, kind: "STORE_CREDIT", amount: 5, justification } })).toMatchObject({ ok: true });
    const resolvedOf = async () => (await overridesTable(database.db, filter)).rows.filter((r) => r.cells.agent === "Tariq Task").map((r) => [r.cells.rule, r.cells.casesResolved]);

    // Another case about the same order, resolved, is not the one the rules were set aside from.
    const other = await openCase(database.db, { userId: customer.id, channel: "PORTAL", reason: "buy_again", orderId: order.id });
    await resolveCase(database.db, { number: other.number, agentId: agent.id, outcome: "Placed the order again for the customer." });
    expect(await resolvedOf()).toEqual([["Goodwill store credit", 0], ["Return window extended", 0]]);
    // It counted neither once their own case was resolved: that case names no order.
    await resolveCase(database.db, { number: asked.number, agentId: agent.id, outcome: "Extended the window and added credit." });
    expect(await resolvedOf()).toEqual([["Goodwill store credit", 1], ["Return window extended", 1]]);
  });
});
