"use client";
// An agent's offer of help, shown on whatever page the customer is on: the page asks every few
// seconds while it is in view and shows the offer as soon as it is made.
import { useActionState, useEffect, useState } from "react";
import { answerReachOutAction } from "@/lib/cases/customer-actions";
import { IDLE } from "@/lib/http/form-state";

const ASK_EVERY_MS = 3000;

type Offer = { id: string; journeyType: string; step: string };

export function ReachOutOffer() {
  const [offer, setOffer] = useState<Offer | null>(null);
  const [state, answer] = useActionState(answerReachOutAction, IDLE);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Asks only while the page is in view, and not at load: an offer goes to a customer stuck on a
    // step, so the page's first request budget is not spent on it and a background tab costs nothing.
    const schedule = () => {
      clearTimeout(timer);
      if (!stopped && document.visibilityState === "visible") timer = setTimeout(() => void ask(), ASK_EVERY_MS);
    };
    const ask = async () => {
      try {
        const response = await fetch("/api/reach-out", { cache: "no-store" });
        if (response.ok && !stopped) {
          const next = ((await response.json()) as { offer: Offer | null }).offer;
          if (next) setOffer(next);
        }
      } catch {
        // Offline for a moment: ask again next time.
      }
      schedule();
    };
    schedule();
    document.addEventListener("visibilitychange", schedule);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", schedule);
    };
  }, []);
  if (!offer || (state.status === "ok" && !state.message)) return null;
  return (
    <aside className="notice ok reach-out" role="region" aria-label="An advisor can help" aria-live="polite" data-testid="reach-out-offer">
      {state.status === "ok" ? (
        <p role="status">{state.message}</p>
      ) : (
        <>
          <p>It looks like this step is giving you trouble. One of our advisors can help you with it right now.</p>
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
