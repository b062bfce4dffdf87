"use client";
// An agent's offer of help, shown on whatever page the customer is on as soon as it is made: while
// the page is in view it holds one server-sent event stream the offer arrives on
// (app/api/reach-out/stream); hidden, it holds nothing. A page refused the stream (too many open)
// or whose stream keeps failing asks every 30 seconds instead, until it is next brought into view.
import { useActionState, useEffect, useState } from "react";
import { useFocusOnArrival } from "@/components/arrival";
import { answerReachOutAction } from "@/lib/cases/customer-actions";
import { FALLBACK_ASK_SECONDS, type StreamedOffer } from "@/lib/frontline/offer-stream";
import { IDLE } from "@/lib/http/form-state";

/** Not at load: an offer goes to a customer stuck on a step, so the page's first requests are not spent on it. */
const OPEN_AFTER_MS = 3000;
/** Failures in a row (the browser reconnects after each) before the page gives up on the stream. */
const FAILURES_BEFORE_ASKING = 3;

export function ReachOutOffer() {
  const [offer, setOffer] = useState<StreamedOffer | null>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stream: EventSource | null = null;
    let failures = 0;
    // Each stop starts a new round: an answer that arrives after it belongs to an old one and schedules nothing.
    let round = 0;
    const show = (next: StreamedOffer | null) => {
      if (next) setOffer(next);
    };
    const stop = () => {
      round++;
      clearTimeout(timer);
      stream?.close();
      stream = null;
    };
    const askEvery30Seconds = (mine: number) => {
      timer = setTimeout(() => {
        void fetch("/api/reach-out", { cache: "no-store" })
          .then(async (response) => {
            if (response.ok) show(((await response.json()) as { offer: StreamedOffer | null }).offer);
          })
          .catch(() => undefined) // offline for a moment: ask again next time
          .finally(() => {
            if (mine === round) askEvery30Seconds(mine);
          });
      }, FALLBACK_ASK_SECONDS * 1000);
    };
    const open = () => {
      const opened = new EventSource("/api/reach-out/stream");
      stream = opened;
      opened.onopen = () => {
        failures = 0;
      };
      opened.onmessage = (event: MessageEvent<string>) => show((JSON.parse(event.data) as { offer: StreamedOffer }).offer);
      opened.onerror = () => {
        failures++;
        // CLOSED: refused (over a cap, or signed out), and the browser will not try again by itself.
        if (opened.readyState !== EventSource.CLOSED && failures < FAILURES_BEFORE_ASKING) return;
        stop();
        askEvery30Seconds(round);
      };
    };
    // Each time the page comes into view it tries the stream afresh; out of view it holds nothing.
    const follow = () => {
      stop();
      failures = 0;
      if (document.visibilityState === "visible") timer = setTimeout(open, OPEN_AFTER_MS);
    };
    follow();
    document.addEventListener("visibilitychange", follow);
    return () => {
      document.removeEventListener("visibilitychange", follow);
      stop();
    };
  }, []);
  // Keyed by the offer: a later one starts unanswered, whatever was said to the one before.
  return offer ? <Offer key={offer.id} offer={offer} /> : null;
}

// Answered, the offer's buttons go: the keyboard stays where the offer was, on what it now says, or
// at the top of the page's content once it is gone (it fell to the page, so the next Tab started
// again at "Skip to content", and a screen reader heard nothing).
function Offer({ offer }: { offer: StreamedOffer }) {
  const [state, answer] = useActionState(answerReachOutAction, IDLE);
  // What the answer says: nothing to a decline.
  const answered = state.status === "ok" ? (state.message ?? "") : null;
  const declined = answered === "";
  useEffect(() => {
    if (declined) document.getElementById("main")?.focus({ preventScroll: true });
  }, [declined]);
  if (declined) return null;
  return (
    <aside className="notice ok reach-out" role="region" aria-label="An advisor can help" aria-live="polite" data-testid="reach-out-offer">
      {answered ? (
        <OfferAnswered message={answered} />
      ) : (
        <>
          {/* Named: the offer reaches whatever page the customer is on now, maybe not the task's (found by the live walk). */}
          <p>Stuck on “{offer.task}”? One of our advisors can help you with it right now.</p>
          {state.status === "error" ? <p role="alert">{state.message}</p> : null}
          <form action={answer} className="actions">
            <input type="hidden" name="offerId" value={offer.id} />
            <button className="button" name="answer" value="accepted">Yes, help me</button>
            <button className="button link" name="answer" value="declined">No thanks</button>
          </form>
        </>
      )}
    </aside>
  );
}

function OfferAnswered({ message }: { message: string }) {
  const said = useFocusOnArrival<HTMLParagraphElement>();
  return (
    <p ref={said} role="status" tabIndex={-1}>
      {message}
    </p>
  );
}
