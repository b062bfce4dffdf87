"use server";
import { z } from "zod";
import { callbackNumber, callbackNumberSchema, callbackPromise, promisedCallback } from "@/lib/cases/callback";
import { contactCharges, openCase } from "@/lib/cases/cases";
import { customersOwnSubject, pageSubjectSchema } from "@/lib/cases/subject";
import { linkContact } from "@/lib/contacts/contacts";
import { CONTACT_REASON_CODES } from "@/lib/contacts/reasons";
import { db } from "@/lib/db/client";
import { callUs, refuseOverBudget } from "@/lib/http/action-budget";
import { formAction } from "@/lib/http/action-client";
import { formValues } from "@/lib/http/form-state";
import { isJourneyType, isStepOf, type JourneyType } from "@/lib/trail/journeys";
import { answerOffer } from "@/lib/frontline/reach-out";
import { attemptOfStep, recordExit, recordIntervention } from "@/lib/trail/server";
import { isLeaveReason } from "@/lib/voice/reasons";

// There is no live chat window in the portal: a chat is a case an advisor picks up, so the words promise that, not a person "joining".
const chatStarted = (caseNumber: string | null) =>
  `Your chat is case ${caseNumber}. An advisor picks it up in the order chats arrive, with the step you were on in front of them, and replies by your preferred channel.`;

/**
 * The task and step the customer was on, when the form names real ones, and the order or return
 * the page was about; a case is opened either way.
 */
const fromStep = z
  .object({ journeyType: z.unknown().optional(), step: z.unknown().optional(), reason: z.unknown().optional(), ...pageSubjectSchema.shape })
  .transform(({ journeyType: type, step, reason, orderNumber, returnNumber }) => ({
    journey: isJourneyType(type) && isStepOf(type, step) ? { type, step: String(step), reason: isLeaveReason(reason) ? reason : null } : null,
    subject: { orderNumber, returnNumber },
  }));

/** "Talk to a person" from any step: a case carrying the journey, the customer's context and score. */
export const talkToPersonAction = formAction(
  { name: "talk-to-person", who: "customer", signedOut: `Sign in so we can see your orders, or ${callUs()}.`, input: fromStep },
  async ({ input: { journey, subject }, principal, trail, formData }) => {
    const refused = await refuseOverBudget(contactCharges(principal.userId), formData, callUs());
    if (refused) return refused;
    const about = await customersOwnSubject(db(), principal.userId, subject);
    const opened = await db().$transaction(async (tx) => {
      const created = await openCase(db(), { userId: principal.userId, channel: "PORTAL", reason: journey ? `talk_to_person:${journey.type}:${journey.step}` : "talk_to_person", journeyId: journey ? trail.journeyId : null, ...about }, tx);
      if (journey && !created.joined) await recordExit(tx, trail.actor, { journeyId: trail.journeyId, type: journey.type, step: journey.step, channel: "PERSON", reason: journey.reason });
      return created;
    });
    return { status: "ok", message: `${opened.joined ? `Your case ${opened.number} is already with us` : `We have opened case ${opened.number}`}. A person will reply within one working day by your preferred channel; you can follow it under Help › Your help requests.` };
  },
);

const chatSchema = z.object({
  reason: z.enum(CONTACT_REASON_CODES, { message: "Choose what your question is about." }),
});

/**
 * A chat started from the help centre: a chat contact linked to the task the customer left for it
 * (as a logged call or a social message is), and a case in the agents' queue with that trail.
 */
export const startChatAction = formAction(
  { name: "start-chat", who: "customer", signedOut: `Sign in so the advisor sees your orders, or ${callUs()}.`, input: chatSchema },
  async ({ input, principal, formData }) => {
    const refused = await refuseOverBudget(contactCharges(principal.userId), formData, callUs());
    if (refused) return refused;
    const { caseNumber, joinedCase } = await linkContact(db(), { customerId: principal.userId, channel: "CHAT", reason: input.reason, trigger: null, resolvedNeed: false });
    return {
      status: "ok",
      // A chat about what an open case is already about joins it: said so, or the same number read as a mistake.
      message: joinedCase ? `This chat is added to your open case ${caseNumber}, which an advisor already has, with the step you were on; they reply by your preferred channel.` : chatStarted(caseNumber),
    };
  },
);

const helpResponseSchema = z
  .object({
    journeyId: z.uuid(),
    journeyType: z.custom<JourneyType>(isJourneyType),
    step: z.string().max(40),
    intervention: z.enum(["same_error_twice", "refund_overdue", "late_order", "high_risk"]),
    response: z.enum(["callback", "chat", "dismissed"]),
  })
  .and(callbackNumberSchema)
  .refine(({ journeyType, step }) => isStepOf(journeyType, step));

/** What the customer did with help offered in place: a callback or chat becomes a case. */
export const respondToHelpAction = formAction(
  { name: "respond-to-help", who: "customer", signedOut: "Sign in first.", input: helpResponseSchema, invalid: () => ({ status: "error", message: "That did not work; open “Need a hand?” below to reach a person." }) },
  async ({ input: { journeyId, journeyType, step, intervention, response, ...given }, principal, trail, formData }) => {
    if (response !== "dismissed") {
      const refused = await refuseOverBudget(contactCharges(principal.userId), formData, callUs());
      if (refused) return refused;
    }
    // A call back already promised for this task (asked in another tab, whose attempt is another)
    // is said again, not booked a second time: the page hides the offer then, a tab open since does not.
    const promised = response === "callback" ? await promisedCallback(db(), principal.userId, journeyType) : null;
    const answer = await db().$transaction(async (tx) => {
      // No call is promised, and nothing recorded, until there is a number to call.
      const toCall = response === "callback" && !promised ? await callbackNumber(tx, principal.userId, given) : null;
      if (toCall && !toCall.ok) return toCall;
      // In the attempt the help was offered in (assist answers for the attempt the step is in now).
      const answered = (await attemptOfStep(tx, journeyId, step))?.id ?? journeyId;
      await recordIntervention(tx, trail.actor, { journeyId: answered, type: journeyType, step, code: intervention, outcome: response === "dismissed" ? "dismissed" : "accepted", group: "treatment", offer: response });
      if (response === "dismissed") return null;
      if (promised) return { ok: true as const, message: promised };
      const opened = await openCase(db(), { userId: principal.userId, channel: response === "callback" ? "PHONE" : "CHAT", reason: `${response}:${intervention}:${journeyType}:${step}`, journeyId: answered, callbackPhone: toCall?.phone }, tx);
      return { ok: true as const, message: toCall?.phone ? `${callbackPromise(toCall.phone, opened.number)} Keep this page open if you like; nothing you did is lost.` : chatStarted(opened.number) };
    });
    if (!answer) return { status: "ok", message: "" };
    if (!answer.ok) return { status: "error", message: answer.message, fieldErrors: { callbackPhone: answer.message }, values: formValues(formData) };
    return { status: "ok", message: answer.message };
  },
);

/** The customer's answer to an agent's offer of help (lib/frontline/reach-out.ts). */
export const answerReachOutAction = formAction(
  { name: "answer-reach-out", who: "customer", signedOut: "Sign in first.", input: z.object({ offerId: z.string().min(1).max(40), answer: z.enum(["accepted", "declined"]) }) },
  async ({ input, principal, trail }) => {
    const answered = await answerOffer(db(), { ...trail.actor, userId: principal.userId }, input.offerId, input.answer);
    if (!answered.ok) return { status: "error", message: "That offer is no longer open. Use Need a hand? below." };
    return { status: "ok", message: input.answer === "accepted" ? "An advisor will join you here in a moment; you can keep going meanwhile." : "" };
  },
);
