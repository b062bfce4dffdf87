// What the agent is told once a contact is linked to the task the customer left: which task, at
// which step, for which channel and how long before. Framework-free.
import { countOf } from "@/lib/format/plural";
import type { ExitChannel } from "@/lib/trail/journeys";
import { journeyLabel, stepLabel } from "@/lib/trail/labels";

/** Where the customer went, as the sentence goes on: "left … to call us". */
const LEFT_TO: Record<ExitChannel, string> = {
  PHONE: "to call us",
  CHAT: "to chat with us",
  EMAIL: "to email us",
  SOCIAL: "to message us on social media",
  HELP_CENTRE: "for the help centre",
  PERSON: "to talk to a person",
};

/** "the customer left “Start a return” at step “Choosing the items” to talk to a person 26 minutes before this contact" */
export function leftTaskWords(journey: { type: string; lastStep: string; exitChannel: ExitChannel | null; endedAt: Date }, contactAt: Date): string {
  const minutes = Math.round((contactAt.getTime() - journey.endedAt.getTime()) / 60_000);
  const ago = minutes < 120 ? countOf(minutes, "minute") : countOf(Math.round(minutes / 60), "hour");
  const to = journey.exitChannel ? ` ${LEFT_TO[journey.exitChannel]}` : "";
  return `the customer left “${journeyLabel(journey.type)}” at step “${stepLabel(journey.type, journey.lastStep)}”${to} ${ago} before this contact`;
}
