"use client";
// Every "contact us" touchpoint: records the exit (journey, step, channel) before opening the
// channel, so product teams see which step sends customers to which channel.
import { useActionState } from "react";
import { talkToPersonAction } from "@/lib/cases/customer-actions";
import { FormMessage, SubmitButton } from "@/components/form";
import { IDLE } from "@/lib/http/form-state";
import { currentJourneyId, lastJourney, trackExit } from "@/lib/trail/browser";
import type { ExitChannel, JourneyType } from "@/lib/trail/journeys";

const CHANNELS: { channel: ExitChannel; label: string; href: string }[] = [
  { channel: "HELP_CENTRE", label: "Help centre", href: "/help" },
  { channel: "CHAT", label: "Chat with us", href: "/help/chat" },
  { channel: "PHONE", label: "Call us", href: "tel:+441234567890" },
  { channel: "EMAIL", label: "Email us", href: "mailto:help@waymark.example" },
  { channel: "SOCIAL", label: "Message us on social", href: "/help/social" },
];

export function ContactUs({ journey, step, title = "Need a hand?" }: { journey?: JourneyType; step?: string; title?: string }) {
  const [state, talkToPerson] = useActionState(talkToPersonAction, IDLE);
  function leave(channel: ExitChannel) {
    const from = journey && step ? { type: journey, step } : lastJourney();
    if (from) trackExit(from.type, from.step, channel);
  }
  return (
    <aside className="help-box card" aria-labelledby="contact-us-heading">
      <h2 id="contact-us-heading">{title}</h2>
      <p className="muted">You can finish this here, but if you would rather talk to us:</p>
      <form
        action={(formData) => {
          const from = journey && step ? { type: journey, step } : lastJourney();
          if (from) {
            formData.set("journeyType", from.type);
            formData.set("step", from.step);
            formData.set("journeyId", currentJourneyId(from.type, from.step));
          }
          talkToPerson(formData);
        }}
      >
        <FormMessage state={state} />
        {state.status === "ok" ? null : <SubmitButton pendingLabel="Opening a case…">Talk to a person</SubmitButton>}
      </form>
      <ul>
        {CHANNELS.map(({ channel, label, href }) => (
          <li key={channel}>
            <a className="button secondary" href={href} data-channel={channel} onClick={() => leave(channel)}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </aside>
  );
}
