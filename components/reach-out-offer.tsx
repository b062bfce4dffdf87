"use client";
// An agent's offer of help, shown on whatever page the customer is on: the page asks every few
// seconds and shows the offer as soon as it is made.
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
    let timer: ReturnType<typeof setTimeout>;
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
      if (!stopped) timer = setTimeout(() => void ask(), ASK_EVERY_MS);
    };
    void ask();
    return () => {
      stopped = true;
      clearTimeout(timer);
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
