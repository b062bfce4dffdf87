"use server";
import { currentPrincipal } from "@/lib/auth/principal";
import { openCase } from "@/lib/cases/cases";
import { db } from "@/lib/db/client";
import type { Charge } from "@/lib/auth/rate-limit";
import { refuseOverBudget } from "@/lib/http/action-budget";
import type { FormState } from "@/lib/http/form-state";
import { safeAction } from "@/lib/http/safe-action";
import { trailActor } from "@/lib/trail/actor";
import { isJourneyType, isStepOf } from "@/lib/trail/journeys";
import { journeyIdFrom, recordExit, recordIntervention } from "@/lib/trail/server";
import { z } from "zod";

// Every case reaches a person's queue: one account or one client cannot fill it.
const contactCharges = (userId: string) => (client: string) => [["contact:account", userId], ["contact:client", client]] as const satisfies Charge[];

/** "Talk to a person" from any step: a case carrying the journey, the customer's context and score. */
export const talkToPersonAction = safeAction("talk-to-person", async (_previous: FormState, formData: FormData): Promise<FormState> => {
  const principal = await currentPrincipal();
  if (!principal || principal.role !== "CUSTOMER") return { status: "error", message: "Sign in so we can see your orders, or call us on +44 1234 567890." };
  const type = formData.get("journeyType");
  const step = formData.get("step");
  const journey = isJourneyType(type) && isStepOf(type, step) ? { type, step: String(step), id: journeyIdFrom(formData.get("journeyId")) } : null;
  const refused = await refuseOverBudget(contactCharges(principal.userId), formData, "call us on +44 1234 567890");
  if (refused) return refused;
  const actor = await trailActor(principal);
  const opened = await db().$transaction(async (tx) => {
    const created = await openCase(db(), { userId: principal.userId, channel: "PORTAL", reason: journey ? `talk_to_person:${journey.type}:${journey.step}` : "talk_to_person", journeyId: journey?.id ?? null }, tx);
    if (journey && !created.joined) await recordExit(tx, actor, { journeyId: journey.id, type: journey.type, step: journey.step, channel: "PERSON" });
    return created;
  });
  return { status: "ok", message: `${opened.joined ? `Your case ${opened.number} is already with us` : `We have opened case ${opened.number}`}. A person will reply within one working day by your preferred channel; you can follow it under Help › Your help requests.` };
});

const helpResponseSchema = z.object({
  journeyId: z.string().uuid(),
  journeyType: z.string().refine(isJourneyType),
  step: z.string().max(40),
  intervention: z.enum(["same_error_twice", "refund_overdue", "late_order", "high_risk"]),
  response: z.enum(["callback", "chat", "dismissed"]),
});

/** What the customer did with help offered in place: a callback or chat becomes a case. */
export const respondToHelpAction = safeAction("respond-to-help", async (_previous: FormState, formData: FormData): Promise<FormState> => {
  const principal = await currentPrincipal();
  if (!principal || principal.role !== "CUSTOMER") return { status: "error", message: "Sign in first." };
  const parsed = helpResponseSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success || !isJourneyType(parsed.data.journeyType) || !isStepOf(parsed.data.journeyType, parsed.data.step)) return { status: "error", message: "That did not work; use Talk to a person below." };
  const { journeyId, journeyType, step, intervention, response } = parsed.data;
  if (response !== "dismissed") {
    const refused = await refuseOverBudget(contactCharges(principal.userId), formData, "call us on +44 1234 567890");
    if (refused) return refused;
  }
  const actor = await trailActor(principal);
  const opened = await db().$transaction(async (tx) => {
    await recordIntervention(tx, actor, { journeyId, type: journeyType, step, code: intervention, outcome: response === "dismissed" ? "dismissed" : "accepted", group: "treatment", offer: response });
    if (response === "dismissed") return null;
    return openCase(db(), { userId: principal.userId, channel: response === "callback" ? "PHONE" : "CHAT", reason: `${response}:${intervention}:${journeyType}:${step}`, journeyId }, tx);
  });
  if (!opened) return { status: "ok", message: "" };
  return {
    status: "ok",
    message: response === "callback" ? `We will call you back within the hour (case ${opened.number}). Keep this page open if you like; nothing you did is lost.` : `A person will join the chat in a moment (case ${opened.number}).`,
  };
});
