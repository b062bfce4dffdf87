// When people answer chats: every day, 8:00 to 20:00 UK time. A chat started outside those hours
// still reaches the queue; the page says when a person will pick it up instead of promising one now.
import { wallClock } from "@/lib/time/zoned-time";

export const CHAT_HOURS = { opensAt: 8, closesAt: 20, timeZone: "Europe/London" } as const;

export type ChatAvailability = { open: true; closesAt: string } | { open: false; opensAt: string; opensToday: boolean };

const clock = (hour: number) => `${hour}:00`;

export function chatAvailability(now: Date): ChatAvailability {
  const { hour } = wallClock(now, CHAT_HOURS.timeZone);
  if (hour >= CHAT_HOURS.opensAt && hour < CHAT_HOURS.closesAt) return { open: true, closesAt: clock(CHAT_HOURS.closesAt) };
  return { open: false, opensAt: clock(CHAT_HOURS.opensAt), opensToday: hour < CHAT_HOURS.opensAt };
}

/** One line for the chat page. */
export function chatAvailabilityText(availability: ChatAvailability): string {
  if (availability.open) return `Open now, until ${availability.closesAt} UK time.`;
  return `Closed now: we open at ${availability.opensAt} UK time ${availability.opensToday ? "this morning" : "tomorrow"}. Start a chat anyway and the first person in picks it up.`;
}
