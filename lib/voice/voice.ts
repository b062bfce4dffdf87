// The customer's voice on a step: why they left it (a reason code and an optional comment), how
// hard the task felt (Customer Effort Score 1–7), and what went wrong after a failed step. Stored
// for staff to read; only codes and scores reach PostHog, never a comment.
import crypto from "node:crypto";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { isJourneyType, isStepOf, type JourneyType } from "@/lib/trail/journeys";
import type { TrailActor } from "@/lib/trail/server";
import { storePendingSteps, storeTrailEvents } from "@/lib/trail/store";
import { EFFORT_QUESTION, EFFORT_SCALE, WENT_WRONG_CODES } from "./questions";
import { optionalText } from "@/lib/http/input";
import { LEAVE_REASON_CODES, MAX_COMMENT_LENGTH } from "./reasons";

const commentSchema = optionalText(MAX_COMMENT_LENGTH, `Please keep it under ${MAX_COMMENT_LENGTH} characters.`);

const onStep = {
  journeyId: z.uuid(),
  journeyType: z.custom<JourneyType>(isJourneyType),
  step: z.string().max(40),
  comment: commentSchema,
};

export const voiceSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("exit"), ...onStep, reason: z.enum(LEAVE_REASON_CODES).nullish() }),
    z.object({ kind: z.literal("effort"), ...onStep, score: z.number().int().min(EFFORT_SCALE.min).max(EFFORT_SCALE.max) }),
    z.object({ kind: z.literal("went_wrong"), ...onStep, reason: z.enum(WENT_WRONG_CODES) }),
  ])
  .refine((input) => isStepOf(input.journeyType, input.step), { message: "unknown step", path: ["step"] });

export type VoiceInput = z.infer<typeof voiceSchema>;

const KIND = { exit: "EXIT_REASON", effort: "EFFORT", went_wrong: "WENT_WRONG" } as const;

/**
 * Keeps what the customer said about their own attempt. An attempt that belongs to someone else
 * is refused (not found); one the trail has not stored (analytics declined, or its event still on
 * the way) keeps the answer with its journey and step but without the link.
 */
export async function recordVoice(db: Db, actor: TrailActor, input: VoiceInput, now: Date = new Date()): Promise<{ ok: true; stored: boolean } | { ok: false }> {
  // The question follows the task's last step: that step may still be on its way into the trail.
  await storePendingSteps(db, input.journeyId);
  const journey = await db.journey.findUnique({ where: { id: input.journeyId }, select: { userId: true, anonymousId: true } });
  if (journey && !(journey.userId ? journey.userId === actor.userId : journey.anonymousId !== null && journey.anonymousId === actor.anonymousId)) return { ok: false };
  const reason = input.kind === "effort" ? null : (input.reason ?? null);
  // The reason of an exit travels with the exit itself; a row is only worth it for the words.
  if (input.kind === "exit" && !input.comment) return { ok: true, stored: false };
  await db.$transaction(async (tx) => {
    await tx.customerVoice.create({
      data: {
        kind: KIND[input.kind],
        journeyId: journey ? input.journeyId : null,
        journeyType: input.journeyType,
        step: input.step,
        deviceClass: actor.deviceClass,
        reason,
        score: input.kind === "effort" ? input.score : null,
        comment: input.comment,
        createdAt: now,
      },
    });
    if (input.kind === "effort" && actor.consent) await storeTrailEvents(tx, [], [effortSurveyEvent(actor, input, now)]);
  });
  return { ok: true, stored: true };
}

/** The effort survey's fixed id in PostHog; its one question's id, as PostHog's survey views group by. */
export const EFFORT_SURVEY_ID = "0193b5e4-7c1a-7000-8000-000000e0f0a1";
const EFFORT_QUESTION_ID = "0193b5e4-7c1a-7000-8000-000000e0f0a2";

/** The answer in PostHog's survey event format, without the comment. */
function effortSurveyEvent(actor: TrailActor, input: Extract<VoiceInput, { kind: "effort" }>, now: Date) {
  return {
    id: crypto.randomUUID(),
    distinctId: actor.distinctId,
    occurredAt: now,
    event: "survey sent",
    properties: {
      $survey_id: EFFORT_SURVEY_ID,
      $survey_questions: [{ id: EFFORT_QUESTION_ID, question: EFFORT_QUESTION }],
      $survey_response: input.score,
      [`$survey_response_${EFFORT_QUESTION_ID}`]: input.score,
      $survey_submission_id: crypto.randomUUID(),
      $survey_completed: true,
      journey_id: input.journeyId,
      journey_type: input.journeyType,
      step: input.step,
      device_class: actor.deviceClass,
    },
  };
}
