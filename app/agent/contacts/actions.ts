"use server";
import { logContactSchema, logInboundContact } from "@/lib/contacts/contacts";
import { db } from "@/lib/db/client";
import { formAction } from "@/lib/http/action-client";
import { countOf } from "@/lib/format/plural";
import { CHANNEL_LABELS, journeyLabel, stepLabel } from "@/lib/trail/labels";

export const logContactAction = formAction({ name: "log-contact", who: "agent", input: logContactSchema }, async ({ input, principal: agent }) => {
  const result = await logInboundContact(db(), agent.userId, input);
  if (!result.ok) return { status: "error", message: "That customer was not found. Search again." };
  const queued = result.caseNumber ? ` Case ${result.caseNumber} is in the queue for follow-up.` : "";
  if (!result.journey) return { status: "ok", message: `Contact logged. No recent journey was left for another channel in the link window.${queued}` };
  const { journey } = result;
  const minutes = Math.round((result.contact.createdAt.getTime() - journey.endedAt!.getTime()) / 60000);
  const ago = minutes < 120 ? countOf(minutes, "minute") : countOf(Math.round(minutes / 60), "hour");
  return {
    status: "ok",
    message: `Contact logged and linked: the customer left “${journeyLabel(journey.type)}” at step “${stepLabel(journey.type, journey.lastStep)}”${journey.exitChannel ? ` for ${CHANNEL_LABELS[journey.exitChannel].toLowerCase()}` : ""} ${ago} before this contact.${queued}`,
  };
});
