"use server";
import { requireStaff } from "@/lib/auth/principal";
import { logContactSchema, logInboundContact } from "@/lib/contacts/contacts";
import { db } from "@/lib/db/client";
import { parseForm, type FormState } from "@/lib/http/form-state";
import { safeAction } from "@/lib/http/safe-action";
import { JOURNEYS, isJourneyType } from "@/lib/trail/journeys";
import { countOf } from "@/lib/format/plural";

export const logContactAction = safeAction("log-contact", async (_previous: FormState, formData: FormData): Promise<FormState> => {
  const agent = await requireStaff("AGENT");
  const parsed = parseForm(logContactSchema, formData);
  if (!parsed.ok) return parsed.state;
  const result = await logInboundContact(db(), agent.userId, parsed.data);
  if (!result.ok) return { status: "error", message: "That customer was not found. Search again." };
  const queued = result.caseNumber ? ` Case ${result.caseNumber} is in the queue for follow-up.` : "";
  if (!result.journey) return { status: "ok", message: `Contact logged. No recent journey was left for another channel in the link window.${queued}` };
  const { journey } = result;
  const label = isJourneyType(journey.type) ? JOURNEYS[journey.type].label : journey.type;
  const minutes = Math.round((result.contact.createdAt.getTime() - journey.endedAt!.getTime()) / 60000);
  const ago = minutes < 120 ? countOf(minutes, "minute") : countOf(Math.round(minutes / 60), "hour");
  return {
    status: "ok",
    message: `Contact logged and linked: the customer left “${label}” at step “${journey.lastStep}”${journey.exitChannel ? ` for ${journey.exitChannel.toLowerCase().replace("_", " ")}` : ""} ${ago} before this contact.${queued}`,
  };
});
