// Why customers leave and what they say: exit reasons through /ingest's own code, agents' codes on
// logged contacts, social mentions by webhook, and the report that counts them per step.
import crypto from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openSession } from "@/lib/accounts/sessions";
import { logInboundContact } from "@/lib/contacts/contacts";
import { logSocialMention, parseSocialMention } from "@/lib/contacts/social";
import { parseInsightsFilter } from "@/lib/insights/filters";
import { parseTriggerScope, triggerEntries, triggerEntriesTable, triggersReport, triggersTable } from "@/lib/insights/triggers";
import { effortRows, wentWrongRows } from "@/lib/insights/effort";
import { verbatimComments } from "@/lib/insights/voice";
import { ingestBrowserBatch } from "@/lib/trail/ingest";
import type { PostHogEvent } from "@/lib/trail/posthog-wire";
import type { TrailActor } from "@/lib/trail/server";
import { EFFORT_SURVEY_ID, recordVoice, voiceSchema } from "@/lib/voice/voice";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { queuedPostHogEvents } from "../support/posthog-queue";

let database: FreshDatabase;
let customer: { id: string; analyticsId: string; email: string | null };
let other: { id: string; analyticsId: string };
let agent: { id: string; analyticsId: string };

beforeAll(async () => {
  database = await freshDatabase();
  customer = await database.db.user.create({ data: { name: "Voice Tester", email: "voice@example.com", role: "CUSTOMER" } });
  other = await database.db.user.create({ data: { name: "Someone Else", email: "else@example.com", role: "CUSTOMER" } });
  agent = await database.db.user.create({ data: { name: "Agent", email: "agent-voice@example.com", role: "AGENT" } });
});
afterAll(() => database.drop());
beforeEach(async () => {
  await database.db.contact.deleteMany();
  await database.db.customerVoice.deleteMany();
  await database.db.outboxMessage.deleteMany();
  await database.db.journey.deleteMany();
});

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

function event(who: { analyticsId: string }, name: string, journeyId: string, properties: Record<string, unknown>, at: Date): PostHogEvent {
  return { event: name, uuid: crypto.randomUUID(), timestamp: at.toISOString(), distinctId: who.analyticsId, properties: { journey_id: journeyId, ...properties } };
}

/** One attempt that reached `step` and left it for `channel`, with the reason tapped (if any). */
async function leave(who: { id: string; analyticsId: string }, step: string, device: string, reason: string | null, at: Date) {
  const journeyId = crypto.randomUUID();
  const extra = { device_class: device, $device_id: `device-${who.analyticsId}` };
  await ingestBrowserBatch(
    database.db,
    [event(who, `return_${step}_viewed`, journeyId, { step, ...extra }, at), event(who, "return_exited", journeyId, { step, channel: "PHONE", ...extra, ...(reason ? { exit_reason: reason } : {}) }, at)],
    { forwarding: true, sessionId: (await openSession(database.db, who.id, "vitest")).id },
  );
  return journeyId;
}

const today = () => parseInsightsFilter({}).filter;

describe("top triggers per step", () => {
  it("counts the reasons customers tapped as they left and the contacts that followed, per step and device", async () => {
    await leave(customer, "resolution", "MOBILE", "money_worry", minutesAgo(50));
    await leave(customer, "resolution", "MOBILE", "money_worry", minutesAgo(40));
    await leave(customer, "items", "DESKTOP", null, minutesAgo(35));
    // A code from outside the list is dropped, on the trail and on its way to PostHog.
    const forged = await leave(customer, "items", "DESKTOP", "give_me_a_refund", minutesAgo(32));
    // Staff trying the portal are not customers leaving it.
    await leave(agent, "items", "DESKTOP", "didnt_work", minutesAgo(31));
    const latest = await leave(customer, "items", "DESKTOP", "didnt_work", minutesAgo(30));

    // The agent codes the call; it links to the latest attempt the customer left (items).
    const logged = await logInboundContact(database.db, agent.id, { customerId: customer.id, channel: "PHONE", reason: "return_refund", trigger: "rather_person", resolvedNeed: true, note: null });
    expect(logged.ok && logged.journey?.id).toBe(latest);
    // A mention the social tool did not classify takes the reason the customer gave as they left.
    const mention = parseSocialMention(JSON.stringify({ type: "social.mention", data: { platform: "x", customerEmail: customer.email ?? undefined, at: minutesAgo(1).toISOString() } }));
    if (!mention.ok) throw new Error(mention.message);
    await logSocialMention(database.db, "msg_1", mention.mention);

    const report = await triggersReport(database.db, today());
    const rows = report.rows.map((r) => [r.reason, r.journeyType, r.step, r.device, r.exits, r.contacts]);
    expect(rows).toEqual(
      expect.arrayContaining([
        ["money_worry", "return", "resolution", "MOBILE", 2, 0],
        ["didnt_work", "return", "items", "DESKTOP", 1, 1],
        ["rather_person", "return", "items", "DESKTOP", 0, 1],
      ]),
    );
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual(["didnt_work", "return", "items", "DESKTOP", 1, 1]);
    expect(report.weeks.reduce((sum, w) => sum + w.exits + w.contacts, 0)).toBe(5);
    const table = triggersTable(report, today());
    expect(table.rows[0].cells).toMatchObject({ reason: "Something didn't work", journey: "Start a return", step: "items", device: "Desktop" });

    // Each row opens on what makes it up: the attempt that left with the reason and the contact it caused.
    const opened = new URL(table.rows[0].links!.reason, "http://portal");
    expect(opened.pathname).toBe("/insights/triggers/didnt_work");
    const params = Object.fromEntries(opened.searchParams);
    const scope = parseTriggerScope("didnt_work", params)!;
    const entries = await triggerEntries(database.db, parseInsightsFilter(params).filter, scope);
    expect(entries.map((e) => [e.kind, e.journeyId, e.step, e.device, e.channel])).toEqual([
      ["contact", latest, "items", "DESKTOP", "SOCIAL"],
      ["exit", latest, "items", "DESKTOP", "PHONE"],
    ]);
    const coded = await triggerEntries(database.db, today(), { reason: "rather_person", step: "items" });
    expect(coded.map((e) => [e.kind, e.journeyId, e.resolved])).toEqual([["contact", latest, true]]);
    expect(triggerEntriesTable(coded, { reason: "rather_person", step: "items" }).rows[0].links).toEqual({ attempt: `/insights/explorer/${latest}` });
    expect(parseTriggerScope("give_me_a_refund", {})).toBeNull();

    const forgedExit = await database.db.trailEvent.findFirstOrThrow({ where: { journeyId: forged, kind: "EXITED" } });
    expect(forgedExit.properties).not.toHaveProperty("exit_reason");
    const reasons = (await queuedPostHogEvents(database.db)).map((e) => e.properties.exit_reason).filter(Boolean);
    expect(reasons.sort()).toEqual(["didnt_work", "money_worry", "money_worry"]);
  });

  it("logs a social mention once, and counts one for nobody it could match without a step", async () => {
    const body = JSON.stringify({ type: "social.mention", data: { platform: "instagram", customerEmail: "stranger@example.com", trigger: "cant_find", text: "ignored", at: minutesAgo(5).toISOString() } });
    const parsed = parseSocialMention(body);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.mention.data).not.toHaveProperty("text");
    expect((await logSocialMention(database.db, "msg_2", parsed.mention)).outcome).toBe("logged");
    expect((await logSocialMention(database.db, "msg_2", parsed.mention)).outcome).toBe("replayed");
    expect(await database.db.contact.count({ where: { channel: "SOCIAL" } })).toBe(1);
    const report = await triggersReport(database.db, today());
    expect(report.rows.map((r) => [r.reason, r.journeyType, r.contacts])).toEqual([["cant_find", null, 1]]);
    expect(parseSocialMention(JSON.stringify({ type: "social.mention", data: { platform: "x", trigger: "whatever", at: "now" } })).ok).toBe(false);
  });
});

describe("the customer's own words", () => {
  const actorOf = (who: { id: string; analyticsId: string }, device: TrailActor["deviceClass"] = "MOBILE"): TrailActor => ({ userId: who.id, distinctId: who.analyticsId, anonymousId: null, deviceClass: device, consent: true });

  it("keeps an exit comment for analysts, only for the customer's own attempt, and never sends it to PostHog", async () => {
    const journeyId = await leave(customer, "items", "MOBILE", "cant_find", minutesAgo(3));
    const input = voiceSchema.parse({ kind: "exit", journeyId, journeyType: "return", step: "items", reason: "cant_find", comment: "  Where is the size option?  " });
    expect(await recordVoice(database.db, actorOf(customer), input)).toEqual({ ok: true, stored: true });
    expect(await recordVoice(database.db, actorOf(other), input)).toEqual({ ok: false });

    const comments = await verbatimComments(database.db, today(), ["EXIT_REASON"]);
    expect(comments.rows.map((r) => [r.cells.comment, r.cells.answer, r.cells.step])).toEqual([["Where is the size option?", "I couldn't find what I need", "items"]]);
    const outbox = JSON.stringify(await database.db.outboxMessage.findMany());
    expect(outbox).not.toContain("size option");
    expect(voiceSchema.safeParse({ ...input, comment: "x".repeat(501) }).success).toBe(false);
    expect(voiceSchema.safeParse({ ...input, step: "teleport" }).success).toBe(false);
  });

  it("sends an effort answer to PostHog as a survey response, without the comment", async () => {
    const journeyId = crypto.randomUUID();
    const input = voiceSchema.parse({ kind: "effort", journeyId, journeyType: "return", step: "confirmation", score: 6, comment: "Quick, thanks" });
    expect(await recordVoice(database.db, actorOf(customer, "DESKTOP"), input)).toEqual({ ok: true, stored: true });
    const [payload] = await queuedPostHogEvents(database.db);
    expect(payload).toMatchObject({ event: "survey sent", distinctId: customer.analyticsId, properties: { $survey_id: EFFORT_SURVEY_ID, $survey_response: 6, journey_type: "return", step: "confirmation" } });
    expect(JSON.stringify(payload)).not.toContain("Quick");
    expect(voiceSchema.safeParse({ ...input, score: 8 }).success).toBe(false);
  });

  it("reports effort per journey, step and device, and what went wrong, with the words for analysts", async () => {
    const answer = (score: number, device: TrailActor["deviceClass"], comment?: string) =>
      recordVoice(database.db, actorOf(customer, device), voiceSchema.parse({ kind: "effort", journeyId: crypto.randomUUID(), journeyType: "profile_update", step: "saved", score, comment }));
    await answer(2, "MOBILE", "Tiny buttons");
    await answer(6, "MOBILE");
    await answer(7, "DESKTOP");
    await recordVoice(database.db, actorOf(agent, "DESKTOP"), voiceSchema.parse({ kind: "effort", journeyId: crypto.randomUUID(), journeyType: "profile_update", step: "saved", score: 1 }));
    await recordVoice(database.db, actorOf(customer), voiceSchema.parse({ kind: "went_wrong", journeyId: crypto.randomUUID(), journeyType: "return", step: "items", reason: "unclear" }));

    const effort = await effortRows(database.db, today());
    // Answers without a stored attempt cannot be told apart from staff's; the agent's own attempt can.
    expect(effort.filter((r) => r.device === "MOBILE")).toEqual([{ journeyType: "profile_update", step: "saved", device: "MOBILE", answers: 2, average: 4, easy: 1 }]);
    expect(await wentWrongRows(database.db, today())).toEqual([{ journeyType: "return", step: "items", device: "MOBILE", reason: "unclear", answers: 1 }]);
    const comments = await verbatimComments(database.db, today(), ["EFFORT", "WENT_WRONG"]);
    expect(comments.rows.map((r) => [r.cells.answer, r.cells.comment, r.cells.device])).toEqual([["Effort 2 of 7", "Tiny buttons", "Mobile"]]);
  });
});
