import { beforeAll, describe, expect, it } from "vitest";
import { attemptFact, type AttemptFact, type OutcomeValue } from "@/lib/insights/facts";
import { PROBLEM_RULES } from "@/lib/orders/problem-policy";
import { applyAttemptRule } from "@/lib/trail/attempts";
import { summariseJourneys } from "@/lib/trail/store";
import { EFFORT_NOT_ASKED } from "@/lib/voice/questions";
import { createRandom } from "./random";
import { RETURN_ITEMS_FIX_DAYS_AGO, TRAIL_HISTORY_DAYS, emptyChunk, mergeInto, trailHistory, type TrailChunk, type TrailCustomer } from "./trail";

const DAY = 86_400_000;
const now = new Date("2026-11-25T12:00:00Z");

function customers(count: number): TrailCustomer[] {
  const rng = createRandom(99);
  return Array.from({ length: count }, (_, i) => ({ id: `c${i}`, analyticsId: rng.uuid(), createdAt: new Date(now.getTime() - rng.int(14, 1000) * DAY) }));
}

function history(seed: number, people: TrailCustomer[]): TrailChunk {
  const all = emptyChunk();
  for (const chunk of trailHistory({ seed, now, customers: people, agentId: "agent" })) mergeInto(all, chunk);
  return all;
}

// Map.groupBy arrived in Node 21; Waymark runs on Node 20.
function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** What each attempt amounts to, with what the trail's store (its journey rule) and abandonment job make of it. */
function factsOf(chunk: TrailChunk, people: TrailCustomer[]): AttemptFact[] {
  const since = new Map(people.map((c) => [c.id, c.createdAt]));
  const failed = new Set(chunk.failedJourneyIds);
  const { events, refused } = applyAttemptRule(chunk.events, new Map());
  expect(refused).toEqual([]);
  const eventsOf = groupBy(events, (e) => e.journeyId);
  const contactsOf = groupBy(chunk.contacts, (c) => c.journeyId);
  return summariseJourneys(events).flatMap((j) => {
    const outcome: OutcomeValue = failed.has(j.id) ? "FAILED" : j.outcome;
    const fact = attemptFact(
      {
        journey: { id: j.id, type: j.type, deviceClass: j.deviceClass, startedAt: j.firstAt, endedAt: outcome === "IN_PROGRESS" ? null : j.lastAt, outcome, exitChannel: j.exitChannel },
        customerSince: j.userId ? (since.get(j.userId) ?? null) : null,
        events: eventsOf.get(j.id) ?? [],
        contacts: (contactsOf.get(j.id) ?? []).map((c) => ({ channel: c.channel, createdAt: new Date(c.createdAt!), resolvedNeed: c.resolvedNeed ?? false })),
      },
      { followUpWindowHours: 72 },
    );
    return fact ? [fact] : [];
  });
}

/** Of the attempts that reached a position, the share that went on. */
function goOnRate(facts: AttemptFact[], position: number): number {
  const reached = facts.filter((f) => f.level >= position).length;
  return facts.filter((f) => f.level > position).length / reached;
}

let people: TrailCustomer[];
let demo: TrailChunk;
let facts: AttemptFact[];

beforeAll(() => {
  people = customers(300);
  demo = history(42, people);
  facts = factsOf(demo, people);
});

describe("the seeded trail history", () => {
  it("is the same for the same seed, and another for another seed", () => {
    const few = people.slice(0, 20);
    const again = history(42, few);
    expect(again.events.map((e) => [e.id, e.occurredAt.getTime()])).toEqual(history(42, few).events.map((e) => [e.id, e.occurredAt.getTime()]));
    expect(history(43, few).events[0].id).not.toBe(again.events[0].id);
  });

  it("covers months with tens of thousands of attempts, nothing in the future", () => {
    expect(facts.length).toBeGreaterThan(20_000);
    const times = demo.events.map((e) => e.occurredAt.getTime());
    expect(Math.max(...times)).toBeLessThanOrEqual(now.getTime());
    expect((now.getTime() - Math.min(...times)) / DAY).toBeGreaterThan(TRAIL_HISTORY_DAYS - 5);
    expect(new Set(facts.map((f) => f.journeyType)).size).toBeGreaterThan(12);
  });

  it("puts right at most one problem per customer in the problem policy's window, so a demo customer's next report can be put right on the spot", () => {
    const windowStart = now.getTime() - PROBLEM_RULES.reportWindowDays * DAY;
    const putRight = demo.events.filter((e) => e.journeyType === "problem_report" && e.step === "resolution" && e.kind === "COMPLETED" && e.userId);
    const inWindow = groupBy(putRight.filter((e) => e.occurredAt.getTime() >= windowStart), (e) => e.userId);
    expect(inWindow.size).toBeGreaterThan(20);
    expect(Math.max(...[...inWindow.values()].map((events) => events.length))).toBeLessThan(PROBLEM_RULES.maxReportsInWindow);
    // Still there for the insights: problems put right before the window.
    expect(putRight.filter((e) => e.occurredAt.getTime() < windowStart).length).toBeGreaterThan(20);
  });

  it("loses more phones than desktops at a return's items and resolution and at the card page", () => {
    const returns = (device: string) => facts.filter((f) => f.journeyType === "return" && f.deviceClass === device);
    expect(goOnRate(returns("MOBILE"), 2)).toBeLessThan(goOnRate(returns("DESKTOP"), 2) - 0.1);
    expect(goOnRate(returns("MOBILE"), 3)).toBeLessThan(goOnRate(returns("DESKTOP"), 3) - 0.1);
    const cards = (device: string) => facts.filter((f) => f.journeyType === "payment_method" && f.deviceClass === device);
    expect(goOnRate(cards("MOBILE"), 2)).toBeLessThan(goOnRate(cards("DESKTOP"), 2) - 0.1);
  });

  it("shows the release that helped phones at the return's items step", () => {
    const mobileReturns = facts.filter((f) => f.journeyType === "return" && f.deviceClass === "MOBILE");
    const fixedFrom = new Date(now.getTime() - RETURN_ITEMS_FIX_DAYS_AGO * DAY).toISOString().slice(0, 10);
    expect(goOnRate(mobileReturns.filter((f) => f.day >= fixedFrom), 2)).toBeGreaterThan(goOnRate(mobileReturns.filter((f) => f.day < fixedFrom), 2) + 0.05);
  });

  it("sends people to the phone after an expired return window", () => {
    const refused = facts.filter((f) => f.errors.some((e) => e.code === "return_window_expired"));
    const endings = groupBy(refused, (f) => (f.outcome === "EXITED" ? f.exitChannel : f.outcome));
    const phoned = endings.get("PHONE")?.length ?? 0;
    for (const [ending, list] of endings) if (ending !== "PHONE") expect(list.length).toBeLessThan(phoned);
  });

  it("links agents' contacts to drop-offs of the same customer, within the window, some ending the need", () => {
    const byJourney = new Map(facts.map((f) => [f.journeyId, f]));
    const owner = new Map(demo.events.map((e) => [e.journeyId, e.userId]));
    for (const contact of demo.contacts) {
      const fact = byJourney.get(contact.journeyId!)!;
      expect(["EXITED", "ABANDONED", "FAILED"]).toContain(fact.outcome);
      expect(owner.get(contact.journeyId!)).toBe(contact.userId);
      const after = new Date(contact.createdAt!).getTime() - fact.endedAt!.getTime();
      expect(after).toBeGreaterThanOrEqual(0);
      expect(after).toBeLessThanOrEqual(72 * 3_600_000);
    }
    const followed = facts.filter((f) => f.followUps > 0);
    expect(followed.length).toBeGreaterThan(500);
    expect(followed.some((f) => f.followUpResolved)).toBe(true);
    expect(followed.some((f) => !f.followUpResolved)).toBe(true);
  });

  it("has customers say why they left about half the time, more often money where a card was refused, and agents code every contact", () => {
    const exits = demo.events.filter((e) => e.kind === "EXITED");
    const said = exits.filter((e) => typeof e.properties.exit_reason === "string");
    expect(said.length / exits.length).toBeGreaterThan(0.4);
    expect(said.length / exits.length).toBeLessThan(0.6);
    const refusedCard = new Set(demo.events.filter((e) => e.errorCode === "card_declined").map((e) => e.journeyId));
    const moneyShare = (list: typeof said) => list.filter((e) => e.properties.exit_reason === "money_worry").length / list.length;
    expect(moneyShare(said.filter((e) => refusedCard.has(e.journeyId)))).toBeGreaterThan(moneyShare(said) + 0.1);
    expect(demo.contacts.every((c) => typeof c.trigger === "string")).toBe(true);
  });

  it("has customers answer the effort question after some tasks (never the ones not asked), finding them harder after an error, with a few words now and then", () => {
    const effort = demo.voices.filter((v) => v.kind === "EFFORT");
    const completed = new Set(demo.events.filter((e) => e.kind === "COMPLETED").map((e) => e.journeyId));
    expect(effort.every((v) => completed.has(v.journeyId!) && !Object.hasOwn(EFFORT_NOT_ASKED, v.journeyType))).toBe(true);
    expect(effort.length / completed.size).toBeGreaterThan(0.15);
    const failed = new Set(demo.events.filter((e) => e.kind === "ERROR").map((e) => e.journeyId));
    const average = (list: typeof effort) => list.reduce((sum, v) => sum + v.score!, 0) / list.length;
    expect(average(effort.filter((v) => failed.has(v.journeyId!)))).toBeLessThan(average(effort.filter((v) => !failed.has(v.journeyId!))) - 1);
    expect(new Set(effort.map((v) => v.deviceClass))).toEqual(new Set(["MOBILE", "DESKTOP", "TABLET"]));
    expect(effort.filter((v) => v.comment).length).toBeGreaterThan(20);

    // What went wrong, only after a refusal; a few words only beside a reason the customer tapped.
    const wentWrong = demo.voices.filter((v) => v.kind === "WENT_WRONG");
    expect(wentWrong.length).toBeGreaterThan(20);
    expect(wentWrong.every((v) => failed.has(v.journeyId!))).toBe(true);
    const leaving = demo.voices.filter((v) => v.kind === "EXIT_REASON");
    const exitReasons = new Map(demo.events.filter((e) => e.kind === "EXITED").map((e) => [e.journeyId, e.properties.exit_reason]));
    expect(leaving.length).toBeGreaterThan(20);
    expect(leaving.every((v) => v.comment && exitReasons.get(v.journeyId!) === v.reason)).toBe(true);
  });
});
