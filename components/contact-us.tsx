"use client";
// The page's one help entry: a "Need a hand?" disclosure that says what a person can do at this
// step and, opened, offers a person (a case) or another channel. Every channel records the exit
// (journey, step, channel) before opening, so product teams see which step sends customers where.
import { useActionState } from "react";
import { talkToPersonAction } from "@/lib/cases/customer-actions";
import { FormMessage, SubmitButton } from "@/components/form";
import { GENERAL_HELP_OFFER, HELP_OFFER } from "@/lib/experience/help-offer";
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
  const from = () => (journey && step ? { type: journey, step } : lastJourney());
  function leave(channel: ExitChannel) {
    const left = from();
    if (left) trackExit(left.type, left.step, channel);
  }
  return (
    <details className="help-box card" data-testid="help-entry" open={state.status !== "idle" || undefined}>
      <summary>
        <span className="help-title">{title}</span> <span className="muted">{journey ? HELP_OFFER[journey] : GENERAL_HELP_OFFER}</span>
      </summary>
      <div className="stack">
        <p className="muted">You can finish this here, but a person can take it from where you are: they see the step you reached.</p>
        <form
          action={(formData) => {
            const left = from();
            if (left) {
              formData.set("journeyType", left.type);
              formData.set("step", left.step);
              formData.set("journeyId", currentJourneyId(left.type, left.step));
            }
            talkToPerson(formData);
          }}
        >
          <FormMessage state={state} />
          {state.status === "ok" ? null : <SubmitButton pendingLabel="Opening a case…">Talk to a person</SubmitButton>}
        </form>
        <p className="muted small">Or reach us another way:</p>
        <ul className="help-channels">
          {CHANNELS.map(({ channel, label, href }) => (
            <li key={channel}>
              <a href={href} data-channel={channel} onClick={() => leave(channel)}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </details>
  );
}
