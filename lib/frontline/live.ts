// The frontline's live view: attempts in progress now, customers who look stuck first. Stuck
// means the same step failing again and again, a long dwell on one step, rage taps (one element
// tapped again and again, lib/trail/rage-taps.ts), the same validation error shown several times,
// or an experience-risk score above the line where help is offered.
// Read from the trail directly (only the last half hour's attempts); the board asks every few
// seconds. Staff's own attempts are left out.
import { IS_LIVE_SESSION_ROW } from "@/lib/accounts/sessions";
import type { Db } from "@/lib/db/client";
import { latestRiskModel } from "@/lib/experience/models";
import { RISK_CONFIG, explainRisk } from "@/lib/experience/risk";
import { currentRisk } from "@/lib/experience/signals";
import { journeyLabel, stepLabel } from "@/lib/trail/labels";
import { attemptsOfDeletedAccounts } from "./attempt";
import { HEARTBEAT_MS } from "./offer-heartbeat";

export const STUCK_RULES = {
  /** Attempts with activity this recent are "in progress now". */
  activeWithinMinutes: 30,
  sameStepFailures: 3,
  longDwellSeconds: 5 * 60,
  validationErrors: 3,
  /** Bursts of rage taps on the step (each one already 3 taps on one element within a second). */
  rageTaps: 1,
  riskAt: RISK_CONFIG.interveneAt,
};

// Error codes that mean "the form said no to what was typed" rather than "the task refused".
const VALIDATION = /(^|_)(invalid|validation)(_|$)/;

export type StuckFlag = { code: "repeated_failure" | "long_dwell" | "rage_taps" | "validation_errors" | "high_risk"; label: string };

export type LiveRow = {
  journeyId: string;
  journeyType: string;
  journey: string;
  /** The step the customer is on, in words. */
  step: string;
  device: "MOBILE" | "TABLET" | "DESKTOP";
  customerId: string | null;
  /** The signed-in customer's name, for agents (asSeenBy); null for an attempt of no account (a visitor's, or a deleted account's). */
  customerName: string | null;
  /** Of no account now, as a visitor's, but a customer's whose account has since been deleted. */
  accountDeleted: boolean;
  secondsOnStep: number;
  failuresOnStep: number;
  flags: StuckFlag[];
  risk: number | null;
  /** The signals that raise the score most, in words (empty with none or no customer). */
  riskWhy: string;
  /** What scored it: the learned model, or the hand-set weights while none is trained. */
  riskSource: "model" | "hand-set" | null;
  reachOut: "OFFERED" | "SHOWN" | "ACCEPTED" | "DECLINED" | null;
  /** The case the latest offer of help opened or joined: where the agent follows up a customer who accepted. */
  caseNumber: string | null;
  /**
   * Whether the customer has a portal page in view now (an offer of help reaches them at once), or
   * for how long none has been (it waits for their next page); null for a visitor's attempt.
   */
  portal: { inView: true } | { inView: false; awaySeconds: number } | null;
};

type Raw = {
  journeyId: string;
  journeyType: string;
  step: string;
  device: LiveRow["device"];
  customerId: string | null;
  customerName: string | null;
  stepSince: Date;
  failuresOnStep: number;
  rageTaps: number;
  validationCodes: string[];
  reachOut: LiveRow["reachOut"];
  caseNumber: string | null;
  portalSeenAt: Date | null;
};

/**
 * A page in view holds an offer stream open, which marks its session seen as it opens and at every
 * heartbeat: seen within two heartbeats (and a little for the database's clock) is a page in view.
 */
export const IN_VIEW_WITHIN_SECONDS = (2 * HEARTBEAT_MS) / 1000 + 10;

/** What the board says about a customer's portal pages, from when one of their sessions was last seen. */
export function portalPresence(seenAt: Date | null, now: Date): LiveRow["portal"] {
  if (!seenAt) return null;
  const seconds = Math.max(0, Math.round((now.getTime() - seenAt.getTime()) / 1000));
  return seconds <= IN_VIEW_WITHIN_SECONDS ? { inView: true } : { inView: false, awaySeconds: seconds };
}

export async function liveJourneys(db: Db, now: Date = new Date()): Promise<LiveRow[]> {
  const since = new Date(now.getTime() - STUCK_RULES.activeWithinMinutes * 60_000);
  const raws = await db.$queryRaw<Raw[]>`
    SELECT j."id" AS "journeyId", j."type" AS "journeyType", j."lastStep" AS step, j."deviceClass"::text AS device, j."userId" AS "customerId", u."name" AS "customerName",
           coalesce(on_step.since, j."lastActivityAt") AS "stepSince", coalesce(on_step.failures, 0)::int AS "failuresOnStep", coalesce(on_step.rage_taps, 0)::int AS "rageTaps",
           coalesce(on_step.codes, '{}') AS "validationCodes", r."status"::text AS "reachOut", r."caseNumber",
           (SELECT max(s."lastSeenAt") FROM "AuthSession" s WHERE s."userId" = j."userId" AND ${IS_LIVE_SESSION_ROW}) AS "portalSeenAt"
    FROM "Journey" j
    LEFT JOIN "User" u ON u."id" = j."userId"
    LEFT JOIN LATERAL (
      SELECT max(e."occurredAt") AS left_at FROM "TrailEvent" e WHERE e."journeyId" = j."id" AND e."step" <> j."lastStep"
    ) before_step ON true
    LEFT JOIN LATERAL (
      SELECT min(e."occurredAt") AS since, count(*) FILTER (WHERE e."kind" = 'ERROR') AS failures, count(*) FILTER (WHERE e."kind" = 'RAGE_TAP') AS rage_taps,
             array_agg(e."errorCode") FILTER (WHERE e."kind" = 'ERROR' AND e."errorCode" IS NOT NULL) AS codes
      FROM "TrailEvent" e
      WHERE e."journeyId" = j."id" AND e."step" = j."lastStep" AND e."occurredAt" > coalesce(before_step.left_at, '-infinity'::timestamptz)
    ) on_step ON true
    LEFT JOIN LATERAL (
      SELECT o."status", c."number" AS "caseNumber" FROM "ReachOut" o LEFT JOIN "Case" c ON c."id" = o."caseId" WHERE o."journeyId" = j."id" ORDER BY o."createdAt" DESC LIMIT 1
    ) r ON true
    WHERE j."outcome" = 'IN_PROGRESS' AND j."lastActivityAt" >= ${since} AND (u."role" IS NULL OR u."role" = 'CUSTOMER')
    ORDER BY j."lastActivityAt" DESC
    LIMIT 200`;
  const model = (await latestRiskModel(db))?.parameters ?? null;
  const ofDeletedAccounts = await attemptsOfDeletedAccounts(db, raws.filter((raw) => !raw.customerId).map((raw) => raw.journeyId));
  const rows = await Promise.all(
    raws.map(async (raw): Promise<LiveRow> => {
      const risk = raw.customerId ? await currentRisk(db, raw.customerId, raw.journeyId, now, model) : null;
      const riskWhy = risk && risk.factors.length ? explainRisk(risk, 2) : "";
      const secondsOnStep = Math.max(0, Math.round((now.getTime() - raw.stepSince.getTime()) / 1000));
      const step = stepLabel(raw.journeyType, raw.step);
      return {
        journeyId: raw.journeyId,
        journeyType: raw.journeyType,
        journey: journeyLabel(raw.journeyType),
        step,
        device: raw.device,
        customerId: raw.customerId,
        customerName: raw.customerName,
        accountDeleted: ofDeletedAccounts.has(raw.journeyId),
        secondsOnStep,
        failuresOnStep: raw.failuresOnStep,
        flags: stuckFlags({ step, failuresOnStep: raw.failuresOnStep, secondsOnStep, rageTaps: raw.rageTaps, validationCodes: raw.validationCodes, risk: risk?.score ?? null, riskWhy }),
        risk: risk?.score ?? null,
        riskWhy,
        riskSource: risk?.source ?? null,
        reachOut: raw.reachOut,
        caseNumber: raw.caseNumber,
        portal: raw.customerId ? portalPresence(raw.portalSeenAt, now) : null,
      };
    }),
  );
  return rows.sort((a, b) => b.flags.length - a.flags.length || b.failuresOnStep - a.failuresOnStep || b.secondsOnStep - a.secondsOnStep);
}

/** The board as a member of staff sees it: agents, who help the customers, see their names; analysts do not. */
export function asSeenBy(role: string, rows: LiveRow[]): LiveRow[] {
  return role === "AGENT" ? rows : rows.map((row) => ({ ...row, customerName: null }));
}

/** Why a live attempt looks stuck; empty when it does not. */
export function stuckFlags(s: { step: string; failuresOnStep: number; secondsOnStep: number; rageTaps: number; validationCodes: string[]; risk: number | null; riskWhy: string }): StuckFlag[] {
  const flags: StuckFlag[] = [];
  if (s.failuresOnStep >= STUCK_RULES.sameStepFailures) flags.push({ code: "repeated_failure", label: `failed ${s.failuresOnStep} times on this step` });
  if (s.secondsOnStep >= STUCK_RULES.longDwellSeconds) flags.push({ code: "long_dwell", label: `${Math.round(s.secondsOnStep / 60)} minutes on this step` });
  if (s.rageTaps >= STUCK_RULES.rageTaps) flags.push({ code: "rage_taps", label: `rage taps on “${s.step}”${s.rageTaps > 1 ? ` (${s.rageTaps} times)` : ""}` });
  const validation = s.validationCodes.filter((code) => VALIDATION.test(code)).length;
  if (validation >= STUCK_RULES.validationErrors) flags.push({ code: "validation_errors", label: `the same form refused ${validation} times` });
  if (s.risk !== null && s.risk >= STUCK_RULES.riskAt) flags.push({ code: "high_risk", label: `risk ${s.risk}: ${s.riskWhy}` });
  return flags;
}
