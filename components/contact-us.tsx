"use client";
// The page's one help entry: a "Need a hand?" disclosure that says what a person can do at this
// step and, opened, offers a person (a case) or another channel. Every channel records the exit
// (journey, step, channel) before opening, so product teams see which step sends customers where.
// Closed, it is one line: its reasons, comment box and "Talk to a person" form are rendered the first
// time it is opened (or on hydration, if it was opened before the page's script ran), so a page's
// first load on a phone neither carries nor hydrates a form and a row of buttons that most visits
// never open. The other channels are plain links in the first HTML, usable before any script.
import { useActionState, useEffect, useRef, useState } from "react";
import { talkToPersonAction } from "@/lib/cases/customer-actions";
import type { PageSubject } from "@/lib/cases/subject";
import { FormMessage, SubmitButton } from "@/components/form";
import { supportContact } from "@/lib/config/public";
import { sendVoice } from "@/components/voice-client";
import { WentWrong } from "@/components/went-wrong";
import { GENERAL_HELP_OFFER, HELP_OFFER } from "@/lib/experience/help-offer";
import { IDLE } from "@/lib/http/form-state";
import { currentJourneyId, lastJourney, trackExit } from "@/lib/trail/browser";
import type { ExitChannel, JourneyType } from "@/lib/trail/journeys";
import { LEAVE_REASONS, MAX_COMMENT_LENGTH, type LeaveReason } from "@/lib/voice/reasons";

const support = supportContact();
const CHANNELS: { channel: ExitChannel; label: string; href: string }[] = [
  { channel: "HELP_CENTRE", label: "Help centre", href: "/help" },
  { channel: "CHAT", label: "Chat with us", href: "/help/chat" },
  { channel: "PHONE", label: "Call us", href: support.phoneHref },
  { channel: "EMAIL", label: "Email us", href: support.emailHref },
  { channel: "SOCIAL", label: "Message us on social", href: "/help/social" },
];

/** `about`: the order or return the page is about, which a case opened here names for the agent. */
export function ContactUs({ journey, step, about, title = "Need a hand?" }: { journey?: JourneyType; step?: string; about?: PageSubject; title?: string }) {
  const [state, talkToPerson] = useActionState(talkToPersonAction, IDLE);
  const [reason, setReason] = useState<LeaveReason | null>(null);
  const [comment, setComment] = useState("");
  const entry = useRef<HTMLDetailsElement>(null);
  const [opened, setOpened] = useState(false);
  useEffect(() => {
    // Opened with a tap before hydration: the browser opened it, React has not seen it.
    if (entry.current?.open) setOpened(true);
  }, []);
  const from = () => (journey && step ? { type: journey, step } : lastJourney());
  // The words go to the portal only (never to PostHog), and must outlive the page being left.
  function sendComment(left: { type: JourneyType; step: string }, journeyId: string) {
    if (!comment.trim()) return;
    void sendVoice({ kind: "exit", journeyId, journeyType: left.type, step: left.step, reason, comment });
  }
  function leave(channel: ExitChannel) {
    const left = from();
    if (left) sendComment(left, trackExit(left.type, left.step, channel, reason ?? undefined));
  }
  return (
    <>
      {journey && step ? <WentWrong journey={journey} step={step} /> : null}
      <details ref={entry} className="help-box card" data-testid="help-entry" open={state.status !== "idle" || undefined} onToggle={(event) => event.currentTarget.open && setOpened(true)}>
        <summary>
          <span className="help-title">{title}</span> <span className="muted">{journey ? HELP_OFFER[journey] : GENERAL_HELP_OFFER}</span>
        </summary>
        <div className="stack">
          {opened || state.status !== "idle" ? (
            <>
              <p className="muted">You can finish this here, but a person can take it from where you are: they see the step you reached.</p>
              <fieldset className="leave-reasons" data-testid="leave-reasons">
                <legend className="small">What made you reach out? (optional, one tap)</legend>
                <div className="chips">
                  {(Object.entries(LEAVE_REASONS) as [LeaveReason, string][]).map(([code, label]) => (
                    <button key={code} type="button" className="chip" aria-pressed={reason === code} onClick={() => setReason(reason === code ? null : code)}>
                      {label}
                    </button>
                  ))}
                </div>
                <label className="small" htmlFor="leave-comment">In your own words (optional)</label>
                <textarea id="leave-comment" rows={2} maxLength={MAX_COMMENT_LENGTH} value={comment} onChange={(e) => setComment(e.target.value)} />
              </fieldset>
              <form
                action={(formData) => {
                  const left = from();
                  if (left) {
                    formData.set("journeyType", left.type);
                    formData.set("step", left.step);
                    const journeyId = currentJourneyId(left.type, left.step);
                    formData.set("journeyId", journeyId);
                    if (reason) formData.set("reason", reason);
                    sendComment(left, journeyId);
                  }
                  if (about?.orderNumber) formData.set("orderNumber", about.orderNumber);
                  if (about?.returnNumber) formData.set("returnNumber", about.returnNumber);
                  talkToPerson(formData);
                }}
              >
                <FormMessage state={state} />
                {state.status === "ok" ? null : <SubmitButton pendingLabel="Opening a case…">Talk to a person</SubmitButton>}
              </form>
            </>
          ) : null}
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
    </>
  );
}
