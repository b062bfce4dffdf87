import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantGoodwill } from "@/lib/cases/agent-actions";
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
    await grantGoodwill(database.db, { caseNumber: opened.number, agentId: agent.id, request: { orderNumber: order.number, kind: "STORE_CREDIT", amount: 5, justification: "Late parcel and a long wait on the phone." } });
    await resolveCase(database.db, { number: opened.number, agentId: agent.id, outcome: "Credit added for the trouble." });
    const table = await overridesTable(database.db, filter);
    expect(table.rows.map((r) => [r.cells.rule, r.cells.agent, r.cells.overrides, r.cells.casesResolved])).toEqual([["goodwill credit", "Olga Override", 1, 1]]);
  });
});
