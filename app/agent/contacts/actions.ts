"use server";
import { logContactSchema, logInboundContact } from "@/lib/contacts/contacts";
import { db } from "@/lib/db/client";
import { formAction } from "@/lib/http/action-client";
import { leftTaskWords } from "@/lib/contacts/linked-words";

export const logContactAction = formAction({ name: "log-contact", who: "agent", input: logContactSchema }, async ({ input, principal: agent }) => {
  const result = await logInboundContact(db(), agent.userId, input);
  if (!result.ok) return { status: "error", message: "That customer was not found. Search again." };
  const queued = result.caseNumber ? ` Case ${result.caseNumber} is in the queue for follow-up.` : "";
  if (!result.journey) return { status: "ok", message: `Contact logged. No recent journey was left for another channel in the link window.${queued}` };
  const { journey } = result;
  return { status: "ok", message: `Contact logged and linked: ${leftTaskWords({ ...journey, endedAt: journey.endedAt! }, result.contact.createdAt)}.${queued}` };
});
