// The trail as a test sees it: the attempt a tab holds for a task (lib/trail/browser.ts keeps it
// in session storage from the first step's view until the outcome), and the agreement of the
// portal's store, its in-portal funnel and what PostHog received, attempt by attempt. Expected
// attempts, outcomes and levels come from what the test did, never from seeded data or from the
// product's own funnel code.
import type { Page } from "@playwright/test";
import { JOURNEYS, type JourneyType } from "../../lib/trail/journeys";
import { BACKGROUND, expect, postHogEvents, test } from "./fixtures";
import { query } from "./portal-db";

const key = (type: JourneyType) => `waymark:journey:${type}`;

/** The attempt id this tab holds for the task, once the page is hydrated and its step recorded. */
export async function journeyIdInTab(page: Page, type: JourneyType): Promise<string> {
  const handle = await page.waitForFunction((storageKey) => {
    const raw = sessionStorage.getItem(storageKey);
    return raw ? (JSON.parse(raw) as { id: string }).id : null;
  }, key(type));
  return (await handle.jsonValue()) as string;
}

/**
 * Waits until the tab has recorded the task's outcome and let go of the attempt (a tracking page
 * shown, a confirmation seen). A test that navigates away before that would drop the step it
 * means to take: the page's view is recorded only once it is hydrated.
 */
export async function journeyEndedInTab(page: Page, type: JourneyType): Promise<void> {
  await page.waitForFunction((storageKey) => sessionStorage.getItem(storageKey) === null, key(type));
}

type Attempt = { id: string; type: JourneyType; outcome: string; exitChannel: string | null };
export type ExpectedAttempt = { type: JourneyType; outcome: string; level: number; exitChannel?: string };

/** The event name PostHog gets for a stored trail event (the naming convention of lib/trail/journeys.ts). */
function eventName(type: string, step: string, kind: string): string {
  if (kind === "EXITED") return `${type}_exited`;
  if (kind === "ABANDONED") return `${type}_abandoned`;
  return `${type}_${step}_${{ VIEWED: "viewed", COMPLETED: "completed", ERROR: "failed" }[kind]}`;
}

/** The ordered funnel, counted by hand: every step's view in order, then the last step's completion. */
function levelOf(type: JourneyType, names: string[]): number {
  const steps = JOURNEYS[type].steps as readonly string[];
  const funnel = [...steps.map((s) => `${type}_${s}_viewed`), `${type}_${steps[steps.length - 1]}_completed`];
  let level = 0;
  for (const name of names) if (name === funnel[level]) level++;
  return level;
}

/** The funnel level of an attempt done to the end: every step viewed, then the last completed. */
export const fullLevel = (type: JourneyType) => JOURNEYS[type].steps.length + 1;

/** An attempt done to the end. */
export const completed = (type: JourneyType): ExpectedAttempt => ({ type, outcome: "COMPLETED", level: fullLevel(type) });

async function attemptsOf(userId: string): Promise<Attempt[]> {
  return query<Attempt>(`SELECT "id", "type", "outcome"::text AS "outcome", "exitChannel"::text AS "exitChannel" FROM "Journey" WHERE "userId" = $1 ORDER BY "startedAt"`, [userId]);
}

async function storedNames(journeyId: string): Promise<string[]> {
  const events = await query<{ journeyType: string; step: string; kind: string }>(
    `SELECT "journeyType", "step", "kind"::text AS "kind" FROM "TrailEvent" WHERE "journeyId" = $1 AND "kind" IN ('VIEWED', 'COMPLETED', 'ERROR', 'EXITED', 'ABANDONED')
     ORDER BY "occurredAt", CASE "kind" WHEN 'VIEWED' THEN 0 ELSE 1 END`,
    [journeyId],
  );
  return events.map((e) => eventName(e.journeyType, e.step, e.kind));
}

/**
 * The three views of the customer's trail agree, attempt by attempt and event by event, and the
 * attempts are what the test did (in any order of types; in start order within a type). With
 * `only`, just the attempts at those tasks are compared (a walk of one task among others).
 */
export async function expectTrailAgreement(page: Page, userId: string, expected: ExpectedAttempt[], options: { only?: JourneyType[] } = {}) {
  const summary = async () => {
    const attempts = (await attemptsOf(userId)).filter((a) => !options.only || options.only.includes(a.type));
    const received = await postHogEvents(page.request);
    const facts = await query<{ journeyId: string; level: number; outcome: string }>(`SELECT "journeyId", "level", "outcome"::text AS "outcome" FROM "InsightsAttempt" WHERE "journeyId" = ANY($1)`, [attempts.map((a) => a.id)]);
    return Promise.all(
      attempts.map(async (a) => {
        const stored = await storedNames(a.id);
        const posthog = received
          .filter((e) => e.properties.journey_id === a.id && (e.event.endsWith("_viewed") || e.event.endsWith("_completed") || e.event.endsWith("_failed") || e.event.endsWith("_exited") || e.event.endsWith("_abandoned")))
          .sort((x, y) => (x.timestamp ?? "").localeCompare(y.timestamp ?? "") || Number(y.event.endsWith("_viewed")) - Number(x.event.endsWith("_viewed")))
          .map((e) => e.event);
        const fact = facts.find((f) => f.journeyId === a.id);
        return {
          type: a.type,
          events: stored,
          outcome: a.outcome,
          ...(a.exitChannel ? { exitChannel: a.exitChannel } : {}),
          level: levelOf(a.type, stored),
          posthogMatchesStore: JSON.stringify(posthog) === JSON.stringify(stored) ? true : { stored, posthog },
          insights: fact ? { level: fact.level, outcome: fact.outcome } : null,
        };
      }),
    );
  };
  const want = expected.map((e) => ({ ...e, events: expect.any(Array), posthogMatchesStore: true, insights: { level: e.level, outcome: e.outcome } }));
  const byType = (list: { type: string }[]) => [...list].sort((a, b) => a.type.localeCompare(b.type));
  try {
    await expect.poll(async () => byType(await summary()), { ...BACKGROUND, intervals: [1000] }).toEqual(byType(want));
  } finally {
    // Every attempt's events, for reading a failure.
    await test.info().attach("trail", { body: JSON.stringify(byType(await summary()), null, 1), contentType: "application/json" });
  }
}
