"use client";
// Help in place: after each step and each error, the portal asks whether this customer should be
// offered help right here, before they reach for the phone. The page brings the help its server
// saw on arrival (`help`, lib/experience/assist.ts helpOnArrival), so it paints with the page
// rather than a moment later; the first ask records it in this tab's attempt, and may change it.
import { useActionState, useCallback, useEffect, useRef, useState } from "react";
import { respondToHelpAction } from "@/lib/cases/customer-actions";
import { Field, focusFirstInvalid, FORM_ERROR_EVENT, SubmitButton } from "@/components/form";
import { IDLE } from "@/lib/http/form-state";
import { attemptForHelp, trailDelivered } from "@/lib/trail/browser";
import type { JourneyType } from "@/lib/trail/journeys";

type Offered = { code: string; offers: string[]; message: string; alternative?: { href: string; label: string } };
/** As lib/experience/assist.ts decides it: what is offered, and the call back already promised for the task. */
type Help = { intervention: Offered | null; promised: string | null };

export function Assist({ journey, step, orderNumber, help: onArrival }: { journey: JourneyType; step: string; orderNumber?: string; help: Help }) {
  const [help, setHelp] = useState<Help>(onArrival);
  const [journeyId, setJourneyId] = useState("");
  const [state, respond] = useActionState(respondToHelpAction, IDLE);
  const form = useRef<HTMLFormElement>(null);
  const refusal = useRef<HTMLParagraphElement>(null);

  // Asked for a number (or told the one typed is not one): the keyboard goes to the phone field, whose
  // question is read with it. Refused otherwise: to the refusal, which says what to do instead.
  useEffect(() => {
    if (state.status === "error" && !(form.current && focusFirstInvalid(form.current))) refusal.current?.focus();
  }, [state]);

  const ask = useCallback(async () => {
    // Read at the ask, not on mount: on a page that ends its task (an order's detail) the page's
    // view has completed the attempt by then, and the help shown there is recorded in it.
    const id = attemptForHelp(journey, step);
    setJourneyId(id);
    // The step's own events first: the offer is recorded in the attempt as stored.
    await trailDelivered();
    const params = new URLSearchParams({ journeyId: id, type: journey, step, ...(orderNumber ? { order: orderNumber } : {}) });
    try {
      const response = await fetch(`/api/assist?${params}`, { cache: "no-store" });
      if (response.ok) {
        const { intervention, promised } = (await response.json()) as Help;
        setHelp({ intervention, promised });
      }
    } catch {
      // Help in place is a bonus: the task works without it.
    }
  }, [journey, step, orderNumber]);

  useEffect(() => {
    // Wait for the step's own trail event, so the assessment sees it.
    const first = setTimeout(() => void ask(), 1500);
    const onError = () => setTimeout(() => void ask(), 1500);
    window.addEventListener(FORM_ERROR_EVENT, onError);
    return () => {
      clearTimeout(first);
      window.removeEventListener(FORM_ERROR_EVENT, onError);
    };
  }, [ask]);

  // Help that came with the page can be answered before the first ask (a tap in its first second
  // and a half sent no attempt, and was refused): the attempt is read as the customer reaches for
  // an answer, by then the page's own view is recorded, and before the submit reads the form.
  const answering = () => {
    if (!journeyId) setJourneyId(attemptForHelp(journey, step));
  };

  const { intervention: offered, promised } = help;
  if ((!offered && !promised) || (state.status === "ok" && !state.message)) return null;
  // A call back asked for without a number on file: the number is asked for before any promise.
  const askingForNumber = Boolean(state.fieldErrors?.callbackPhone);
  const choices = offered && (
    <>
      {offered.alternative ? <a className="button" href={offered.alternative.href}>{offered.alternative.label}</a> : null}
      {offered.offers.includes("callback") ? <SubmitButton name="response" value="callback" pendingLabel="Asking…">Call me back</SubmitButton> : null}
      {offered.offers.includes("chat") ? <SubmitButton className="button secondary" name="response" value="chat" pendingLabel="Asking…">Chat with a person</SubmitButton> : null}
      <SubmitButton className="button link" name="response" value="dismissed" pendingLabel="Closing…">No thanks</SubmitButton>
    </>
  );
  return (
    <aside className="notice warn assist" role="region" aria-label="Help with this step" aria-live="polite" data-testid="assist">
      {offered ? <p>{offered.message}</p> : null}
      {state.status === "ok" ? <p role="status">{state.message}</p> : promised ? <p>{promised}</p> : null}
      {state.status === "error" && !askingForNumber ? <p ref={refusal} role="alert" tabIndex={-1} className="field-error">{state.message}</p> : null}
      {offered && state.status !== "ok" ? (
        <form ref={form} action={respond} className={askingForNumber ? "stack" : "actions"} onPointerDownCapture={answering} onFocusCapture={answering}>
          <input type="hidden" name="journeyId" value={journeyId} />
          <input type="hidden" name="journeyType" value={journey} />
          <input type="hidden" name="step" value={step} />
          <input type="hidden" name="intervention" value={offered.code} />
          {askingForNumber ? (
            <>
              <Field name="callbackPhone" label="Phone number to call" type="tel" autoComplete="tel" maxLength={40} state={state} />
              <div className="checkbox-field">
                <input id="assist-save-phone" type="checkbox" name="savePhone" defaultChecked={state.values?.savePhone === "on"} />
                <label htmlFor="assist-save-phone">Save this number to my profile</label>
              </div>
            </>
          ) : null}
          {askingForNumber ? <div className="actions">{choices}</div> : choices}
        </form>
      ) : null}
    </aside>
  );
}
