"use server";
import { currentPrincipal } from "@/lib/auth/principal";
import { openCase } from "@/lib/cases/cases";
import { db } from "@/lib/db/client";
import type { FormState } from "@/lib/http/form-state";
import { safeAction } from "@/lib/http/safe-action";
import { trailActor } from "@/lib/trail/actor";
import { isJourneyType, isStepOf } from "@/lib/trail/journeys";
import { journeyIdFrom, recordExit } from "@/lib/trail/server";

/** "Talk to a person" from any step: a case carrying the journey, the customer's context and score. */
export const talkToPersonAction = safeAction("talk-to-person", async (_previous: FormState, formData: FormData): Promise<FormState> => {
  const principal = await currentPrincipal();
  if (!principal || principal.role !== "CUSTOMER") return { status: "error", message: "Sign in so we can see your orders, or call us on +44 1234 567890." };
  const type = formData.get("journeyType");
  const step = formData.get("step");
  const journey = isJourneyType(type) && isStepOf(type, step) ? { type, step: String(step), id: journeyIdFrom(formData.get("journeyId")) } : null;
  const actor = await trailActor(principal);
  const opened = await db().$transaction(async (tx) => {
    const created = await openCase(db(), { userId: principal.userId, channel: "PORTAL", reason: journey ? `talk_to_person:${journey.type}:${journey.step}` : "talk_to_person", journeyId: journey?.id ?? null }, tx);
    if (journey) await recordExit(tx, actor, { journeyId: journey.id, type: journey.type, step: journey.step, channel: "CHAT" });
    return created;
  });
  return { status: "ok", message: `We have opened case ${opened.number}. A person will reply within one working day by your preferred channel; you can follow it under Help requests.` };
});
