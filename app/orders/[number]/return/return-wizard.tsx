"use client";
// The return form, one declared journey step per screen: items → resolution → review → method.
// The outcome on every screen comes from the same policy engine the server decides with
// (lib/returns/policy.ts), so what the customer is shown is what they get; the server checks
// everything again when the return is submitted.
// First: zod runs interpreted in the browser (CSP), before any schema below is built.
import "@/lib/http/browser-zod";
import Link from "@/components/link";
import { startTransition, useActionState, useEffect, useLayoutEffect, useMemo, useReducer, useRef, type FormEvent } from "react";
import { ContactUs } from "@/components/contact-us";
import { focusFirstInvalid, FormMessage } from "@/components/form";
import { ProductThumbnail } from "@/components/product-thumbnail";
import { JourneyIdField } from "@/components/journey";
import { formatMoney } from "@/lib/format/money";
import { IDLE, type BoundFormAction } from "@/lib/http/form-state";
import {
  allowedResolutions,
  lineValueMinor,
  METHOD_LABEL,
  moneyArrival,
  offeredReasons,
  quoteReturn,
  REASON_LABEL,
  RESOLUTION_LABEL,
  type CustomerFacts,
  type LineFacts,
  type Method,
  type OrderFacts,
  type PolicyRules,
  type Quote,
  type Resolution,
  type ReturnReason,
  type SelectedLine,
} from "@/lib/returns/policy";
import { checkedBeforeSending } from "@/lib/returns/status";
import { trackStep } from "@/lib/trail/browser";
import { PhotoField } from "./photo-field";
import { UNUSABLE_CHARACTER } from "@/lib/http/input";
import { type Choice, initialWizardState, keptWizard, keptWizardKey, linesWithUnusableNotes, type Step, wizardReducer, wizardToKeep } from "./wizard-state";

const STEPS: Step[] = ["items", "resolution", "review", "method"];
const STEP_NAME: Record<Step, string> = { items: "Items", resolution: "Refund, credit or exchange", review: "What you get back", method: "Sending it back" };
const STEP_TITLE: Record<Step, string> = {
  items: "Which items are you returning?",
  resolution: "How would you like it settled?",
  review: "What you get back",
  method: "How will you send it back?",
};

export type WizardLine = LineFacts & { returnable: number; refusal: { code: string; text: string } | null; cancelInstead: boolean; lastDay: string | null };

export type ReturnWizardProps = {
  /** submitReturnAction bound to the order by the page. */
  action: BoundFormAction;
  orderNumber: string;
  rules: PolicyRules;
  order: OrderFacts;
  lines: WizardLine[];
  customer: CustomerFacts;
  waivers: string[];
  methods: Method[];
  /** The server's clock, so the browser's verdict matches the server's. */
  nowIso: string;
};

export function ReturnWizard(props: ReturnWizardProps) {
  const { orderNumber, rules, order, lines, customer, methods } = props;
  const now = useMemo(() => new Date(props.nowIso), [props.nowIso]);
  const waived = useMemo(() => new Set(props.waivers), [props.waivers]);
  const returnable = lines.filter((l) => l.returnable > 0);
  const refused = lines.filter((l) => l.returnable === 0);

  const [wizard, dispatch] = useReducer(wizardReducer, null, () => initialWizardState(returnable.map((l) => l.id), crypto.randomUUID()));
  const { step, choices, errors, uploading, resolution, method, idempotencyKey } = wizard;
  const [state, formAction, submitting] = useActionState(props.action, IDLE);
  const heading = useRef<HTMLHeadingElement>(null);
  const shownStep = useRef<Step | null>(null);
  const restored = useRef(false);
  const screen = useRef<HTMLDivElement>(null);
  const refusedNow = useRef(false);
  const nothingReturnable = returnable.length === 0;
  const firstRefusal = refused[0]?.refusal?.code ?? "nothing_returnable";

  // A choice made on the first screen before the page was interactive (a tap as it loads on a
  // phone) is in the page but not in the form's state, and React does not read it back: an item
  // ticked showed no reason to choose and Continue said nothing was chosen; a reason chosen went
  // back to "Choose a reason". Read once in the commit that makes the page interactive, before the
  // next render writes the state over it.
  const readShown = useRef(false);
  useLayoutEffect(() => {
    if (readShown.current || !screen.current) return;
    readShown.current = true;
    for (const line of returnable) {
      const change = shownChoice(screen.current, line, offeredReasons(rules, line.category));
      if (change) dispatch({ type: "choose", lineId: line.id, change });
    }
  }, [returnable, rules]);

  // Every screen is a step of the journey: record it once when shown, and move focus to its heading.
  // On arrival, the form kept in this tab for the order (a reload) is brought back first, and the
  // screen it was on is the first one recorded.
  useEffect(() => {
    if (shownStep.current === step) return;
    if (shownStep.current === null && !nothingReturnable && !restored.current) {
      restored.current = true;
      const kept = keptWizard(sessionStorage.getItem(keptWizardKey(orderNumber)), Object.fromEntries(returnable.map((l) => [l.id, l.returnable])));
      if (kept) {
        dispatch({ type: "restore", kept });
        if (kept.step !== step) return;
      }
    }
    const first = shownStep.current === null;
    shownStep.current = step;
    trackStep("return", step, "viewed");
    if (nothingReturnable) trackStep("return", "items", "failed", { errorCode: firstRefusal });
    else if (!first) heading.current?.focus();
  }, [step, nothingReturnable, firstRefusal, orderNumber, returnable]);

  // A screen that refuses to go on leaves the keyboard on the first field it marks (once, not
  // again while the customer corrects another).
  useEffect(() => {
    if (!refusedNow.current || !screen.current) return;
    refusedNow.current = false;
    focusFirstInvalid(screen.current);
  }, [errors]);

  // Kept after every change, but not while the return is being sent: a return that is made leaves
  // for its own page and the next one starts afresh; one refused is kept again.
  useEffect(() => {
    if (restored.current && !submitting) sessionStorage.setItem(keptWizardKey(orderNumber), wizardToKeep(wizard));
  }, [wizard, submitting, orderNumber]);

  const selection: (SelectedLine & { note: string; photo: string | null })[] = returnable
    .filter((l) => choices[l.id]?.selected)
    .map((l) => {
      const c = choices[l.id];
      return { lineId: l.id, quantity: c.quantity, reason: c.reason as ReturnReason, exchangeVariantId: resolution === "EXCHANGE" ? c.exchangeVariantId || null : null, note: c.note, photo: c.photo };
    });
  const allowed = allowedResolutions(rules, lines, selection);
  const quoteFor = (m: Method): Quote | null => {
    if (!resolution) return null;
    const result = quoteReturn(rules, { order, lines, customer, selection, resolution, method: m, now, waived });
    return result.ok ? result.quote : null;
  };

  function update(lineId: string, change: Partial<Choice>) {
    dispatch({ type: "choose", lineId, change });
  }

  function fail(found: Record<string, string>, errorCode: string) {
    refusedNow.current = true;
    dispatch({ type: "refuse", errors: found });
    trackStep("return", step, "failed", { errorCode });
  }

  function continueFromItems() {
    if (selection.length === 0) return fail({ items: "Choose at least one item to return." }, "no_items");
    const missing = selection.filter((s) => !s.reason);
    if (missing.length) return fail(Object.fromEntries(missing.map((s) => [`${s.lineId}-reason`, "Choose why you are returning it."])), "reason_missing");
    const unusableNotes = linesWithUnusableNotes(choices);
    if (unusableNotes.length) return fail(Object.fromEntries(unusableNotes.map((lineId) => [`${lineId}-note`, UNUSABLE_CHARACTER])), "note_unusable");
    if (uploading > 0) return fail({ items: "Wait until your photo has finished uploading." }, "photo_uploading");
    dispatch({ type: "items-done", allowed });
  }

  function continueFromResolution() {
    if (!resolution) return fail({ resolution: "Choose how you would like it settled." }, "resolution_missing");
    if (resolution === "EXCHANGE") {
      const missing = selection.filter((s) => !s.exchangeVariantId);
      if (missing.length) return fail(Object.fromEntries(missing.map((s) => [`${s.lineId}-exchange`, "Choose the size or colour you would like instead."])), "exchange_variant_missing");
    }
    dispatch({ type: "resolution-done" });
  }

  // Submitted by hand rather than through <form action>: React resets a form after its action,
  // which would clear the chosen method when the server asks the customer to change something.
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!method) return fail({ method: "Choose how you will send it back." }, "method_missing");
    const data = new FormData(event.currentTarget);
    sessionStorage.removeItem(keptWizardKey(orderNumber));
    startTransition(() => formAction(data));
  }

  const lineById = (id: string) => lines.find((l) => l.id === id)!;
  const money = (minor: number) => formatMoney(minor, order.currency);
  const back = (to: Step) => (
    <button type="button" className="button secondary" onClick={() => dispatch({ type: "show", step: to })}>
      Back
    </button>
  );

  if (nothingReturnable) {
    return (
      <div className="stack">
        <p className="notice warn" role="status">Nothing from this order can be returned right now.</p>
        <RefusedLines lines={refused} orderNumber={orderNumber} />
        <p>
          <Link href={`/orders/${orderNumber}`} className="button secondary">Back to the order</Link>
        </p>
        <ContactUs journey="return" step="items" about={{ orderNumber }} />
      </div>
    );
  }

  return (
    <div className="stack" ref={screen}>
      <ol className="steps" aria-label="Steps">
        {STEPS.map((s, i) => (
          <li key={s} aria-current={s === step ? "step" : undefined}>
            {i + 1} of {STEPS.length}: {STEP_NAME[s]}
          </li>
        ))}
      </ol>
      <h2 ref={heading} tabIndex={-1} id="return-step-heading">{STEP_TITLE[step]}</h2>

      {step === "items" ? (
        <section className="stack" aria-labelledby="return-step-heading">
          {errors.items ? <p className="notice error" role="alert">{errors.items}</p> : null}
          {returnable.map((line) => {
            const c = choices[line.id];
            return (
              <fieldset key={line.id} className="card stack return-line">
                <legend className="sr-only">{line.productName}</legend>
                <div className="checkbox-field">
                  <input type="checkbox" id={`return-${line.id}`} checked={c.selected} onChange={(e) => update(line.id, { selected: e.target.checked })} />
                  <label htmlFor={`return-${line.id}`} className="with-thumbnail">
                    <ProductThumbnail name={line.productName} category={line.category} />
                    <span>
                      <strong>{line.productName}</strong> <span className="muted">{line.variantLabel} · {money(line.unitPriceMinor)} each</span>
                    </span>
                  </label>
                </div>
                <p className="muted small">
                  {line.returnable} can be returned{line.lastDay ? `, until ${line.lastDay}` : ""}.
                </p>
                {c.selected ? (
                  <div className="stack">
                    {line.returnable > 1 ? (
                      <div className="field">
                        <label htmlFor={`qty-${line.id}`}>How many</label>
                        <select id={`qty-${line.id}`} value={c.quantity} onChange={(e) => update(line.id, { quantity: Number(e.target.value) })}>
                          {Array.from({ length: line.returnable }, (_, n) => (
                            <option key={n + 1} value={n + 1}>{n + 1}</option>
                          ))}
                        </select>
                      </div>
                    ) : null}
                    <div className="field">
                      <label htmlFor={`reason-${line.id}`}>Why are you returning it?</label>
                      <select
                        id={`reason-${line.id}`}
                        value={c.reason}
                        aria-invalid={errors[`${line.id}-reason`] ? true : undefined}
                        aria-describedby={errors[`${line.id}-reason`] ? `reason-${line.id}-error` : undefined}
                        onChange={(e) => update(line.id, { reason: e.target.value as ReturnReason })}
                      >
                        <option value="">Choose a reason</option>
                        {offeredReasons(rules, line.category).map((r) => (
                          <option key={r} value={r}>{REASON_LABEL[r]}</option>
                        ))}
                      </select>
                      {errors[`${line.id}-reason`] ? <p id={`reason-${line.id}-error`} className="field-error">{errors[`${line.id}-reason`]}</p> : null}
                    </div>
                    <div className="field">
                      <label htmlFor={`note-${line.id}`}>Anything we should know? (optional)</label>
                      <textarea
                        id={`note-${line.id}`}
                        rows={2}
                        maxLength={500}
                        value={c.note}
                        aria-invalid={errors[`${line.id}-note`] ? true : undefined}
                        aria-describedby={errors[`${line.id}-note`] ? `note-${line.id}-error` : undefined}
                        onChange={(e) => update(line.id, { note: e.target.value })}
                      />
                      {errors[`${line.id}-note`] ? <p id={`note-${line.id}-error`} className="field-error">{errors[`${line.id}-note`]}</p> : null}
                    </div>
                    {c.reason && rules.photoReasons.includes(c.reason) ? (
                      <PhotoField
                        id={`photo-${line.id}`}
                        token={c.photo}
                        onUploading={(busy) => dispatch({ type: "upload", busy })}
                        onChange={(photo) => update(line.id, { photo })}
                        onRefused={(errorCode) => trackStep("return", "items", "failed", { errorCode })}
                      />
                    ) : null}
                  </div>
                ) : null}
              </fieldset>
            );
          })}
          {refused.length ? <RefusedLines lines={refused} orderNumber={orderNumber} /> : null}
          <div className="actions">
            <button type="button" className="button" onClick={continueFromItems}>Continue</button>
          </div>
        </section>
      ) : null}

      {step === "resolution" ? (
        <section className="stack" aria-labelledby="return-step-heading">
          <fieldset className="card stack" aria-describedby={errors.resolution ? "resolution-error" : undefined}>
            <legend className="sr-only">{STEP_TITLE.resolution}</legend>
            {errors.resolution ? <p id="resolution-error" className="field-error" role="alert">{errors.resolution}</p> : null}
            {allowed.map((r) => (
              <div key={r} className="checkbox-field">
                <input type="radio" name="resolution-choice" id={`resolution-${r}`} value={r} checked={resolution === r} onChange={() => dispatch({ type: "settle-by", resolution: r })} />
                <label htmlFor={`resolution-${r}`}>
                  {RESOLUTION_LABEL[r]}
                  {r === "STORE_CREDIT" && rules.storeCreditBonusPercent > 0 ? <span className="badge done"> +{rules.storeCreditBonusPercent}% bonus</span> : null}
                </label>
              </div>
            ))}
            {!allowed.includes("EXCHANGE") && (rules.resolutions.default.includes("EXCHANGE")) ? (
              <p className="muted small">An exchange is not available for these items: no other size or colour is in stock.</p>
            ) : null}
          </fieldset>
          {resolution === "EXCHANGE"
            ? selection.map((s) => {
                const line = lineById(s.lineId);
                const error = errors[`${s.lineId}-exchange`];
                return (
                  <div key={s.lineId} className="field card">
                    <label htmlFor={`exchange-${s.lineId}`}>Instead of {line.productName} ({line.variantLabel}), send me</label>
                    <select
                      id={`exchange-${s.lineId}`}
                      value={choices[s.lineId].exchangeVariantId}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? `exchange-${s.lineId}-error` : undefined}
                      onChange={(e) => update(s.lineId, { exchangeVariantId: e.target.value })}
                    >
                      <option value="">Choose a size or colour</option>
                      {line.exchangeOptions.filter((o) => o.available >= s.quantity).map((o) => (
                        <option key={o.variantId} value={o.variantId}>{o.label}</option>
                      ))}
                    </select>
                    {error ? <p id={`exchange-${s.lineId}-error`} className="field-error">{error}</p> : null}
                  </div>
                );
              })
            : null}
          <div className="actions">
            {back("items")}
            <button type="button" className="button" onClick={continueFromResolution}>Continue</button>
          </div>
        </section>
      ) : null}

      {step === "review" && resolution ? (
        <section className="stack" aria-labelledby="return-step-heading">
          <Outcome selection={selection} lineById={lineById} resolution={resolution} quotes={methods.map((m) => [m, quoteFor(m)] as const)} money={money} rules={rules} />
          <div className="actions">
            {back("resolution")}
            <button type="button" className="button" onClick={() => dispatch({ type: "show", step: "method" })}>Continue</button>
          </div>
        </section>
      ) : null}

      {step === "method" && resolution ? (
        <form onSubmit={submit} className="stack" aria-labelledby="return-step-heading" noValidate>
          <FormMessage state={state} />
          <JourneyIdField type="return" step="method" />
          <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
          <input type="hidden" name="resolution" value={resolution} />
          <input type="hidden" name="lines" value={JSON.stringify(selection.map(({ lineId, quantity, reason, note, photo, exchangeVariantId }) => ({ lineId, quantity, reason, note: note || undefined, photo, exchangeVariantId })))} />
          <fieldset className="card stack" aria-describedby={errors.method ? "method-error" : undefined}>
            <legend className="sr-only">{STEP_TITLE.method}</legend>
            {errors.method ? <p id="method-error" className="field-error" role="alert">{errors.method}</p> : null}
            {methods.map((m) => {
              const q = quoteFor(m);
              return (
                <div key={m} className="checkbox-field">
                  <input type="radio" name="method" id={`method-${m}`} value={m} checked={method === m} onChange={() => dispatch({ type: "send-by", method: m })} />
                  <label htmlFor={`method-${m}`}>
                    {METHOD_LABEL[m]}
                    {q && resolution !== "EXCHANGE" ? <span className="muted"> — {money(q.refundMinor + q.bonusMinor)} back{q.feeMinor ? ` (${money(q.feeMinor)} fee)` : ", free"}</span> : null}
                  </label>
                </div>
              );
            })}
          </fieldset>
          {method ? <Summary quote={quoteFor(method)} method={method} resolution={resolution} money={money} rules={rules} /> : <p className="muted">Choose one to see exactly what you get back.</p>}
          <div className="actions">
            {back("review")}
            <button type="submit" className="button" disabled={submitting} aria-disabled={submitting}>
              {submitting ? "Submitting your return…" : "Submit return"}
            </button>
          </div>
        </form>
      ) : null}

      <ContactUs journey="return" step={step} about={{ orderNumber }} />
    </div>
  );
}

/** What the items screen shows chosen for a line, where the form's state may not know it yet; null when nothing is. */
function shownChoice(screen: HTMLElement, line: WizardLine, reasons: readonly ReturnReason[]): Partial<Choice> | null {
  const shown = <T extends HTMLElement>(id: string) => screen.querySelector<T>(`#${CSS.escape(`${id}-${line.id}`)}`);
  const ticked = shown<HTMLInputElement>("return")?.checked;
  if (!ticked) return null;
  const change: Partial<Choice> = { selected: true };
  const quantity = Number(shown<HTMLSelectElement>("qty")?.value);
  if (Number.isInteger(quantity) && quantity >= 1 && quantity <= line.returnable) change.quantity = quantity;
  const reason = reasons.find((r) => r === shown<HTMLSelectElement>("reason")?.value);
  if (reason) change.reason = reason;
  const note = shown<HTMLTextAreaElement>("note")?.value;
  if (note) change.note = note;
  return change;
}

function RefusedLines({ lines, orderNumber }: { lines: WizardLine[]; orderNumber: string }) {
  return (
    <section className="card" aria-labelledby="refused-heading">
      <h3 id="refused-heading">Cannot be returned</h3>
      <ul className="list" data-testid="refused-lines">
        {lines.map((line) => (
          <li key={line.id} className="with-thumbnail">
            <ProductThumbnail name={line.productName} category={line.category} />
            <div>
              <strong>{line.productName}</strong> <span className="muted">{line.variantLabel}</span>
              <div>{line.refusal?.text}</div>
              {line.cancelInstead ? <Link href={`/orders/${orderNumber}/cancel`}>Cancel it instead</Link> : null}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

type OutcomeProps = {
  selection: SelectedLine[];
  lineById: (id: string) => WizardLine;
  resolution: Resolution;
  quotes: (readonly [Method, Quote | null])[];
  money: (minor: number) => string;
  rules: PolicyRules;
};

function Outcome({ selection, lineById, resolution, quotes, money, rules }: OutcomeProps) {
  const first = quotes.find(([, q]) => q)?.[1];
  if (!first) return <p className="notice error" role="alert">These choices cannot be returned any more. Go back and choose again.</p>;
  return (
    <div className="card stack" data-testid="return-outcome">
      <ul className="list">
        {selection.map((s) => {
          const line = lineById(s.lineId);
          // An exchange says what comes instead, not a value that reads like money coming back.
          const instead = resolution === "EXCHANGE" ? line.exchangeOptions.find((o) => o.variantId === s.exchangeVariantId)?.label : undefined;
          return (
            <li key={s.lineId} className="row">
              <span>{s.quantity} × {line.productName} <span className="muted">— {REASON_LABEL[s.reason]}</span></span>
              {resolution === "EXCHANGE" ? <span data-testid="exchange-for">{instead ? `For ${instead}` : null}</span> : <span>{money(lineValueMinor(line, s.quantity))}</span>}
            </li>
          );
        })}
      </ul>
      <p className="row"><span>{resolution === "EXCHANGE" ? RESOLUTION_LABEL.EXCHANGE : "Value of the items, tax included"}</span><strong>{resolution === "EXCHANGE" ? "No charge" : money(first.valueMinor)}</strong></p>
      {resolution !== "EXCHANGE" ? (
        <table>
          <caption className="sr-only">What you get back for each way of sending it</caption>
          <thead>
            <tr><th scope="col">If you send it by</th><th scope="col">Fees</th><th scope="col">You get back</th></tr>
          </thead>
          <tbody>
            {quotes.map(([m, q]) =>
              q ? (
                <tr key={m}>
                  <th scope="row">{METHOD_LABEL[m].split(" (")[0]}</th>
                  <td>{q.fees.length ? q.fees.map((f) => `${f.label} ${money(f.amountMinor)}`).join(", ") : "None"}</td>
                  <td><strong>{money(q.refundMinor + q.bonusMinor)}</strong>{q.bonusMinor ? <span className="muted"> (incl. {money(q.bonusMinor)} bonus)</span> : null}</td>
                </tr>
              ) : null,
            )}
          </tbody>
        </table>
      ) : null}
      {first.limitedByEarlierRefunds ? <p className="notice warn">Part of this order was already refunded, so we can give back at most {money(first.refundMinor)}.</p> : null}
      <p>{moneyArrival(rules, resolution, first.instantRefund)}</p>
      {first.review.length ? <p className="notice warn">{checkedBeforeSending(null)}</p> : null}
    </div>
  );
}

function Summary({ quote, method, resolution, money, rules }: { quote: Quote | null; method: Method; resolution: Resolution; money: (minor: number) => string; rules: PolicyRules }) {
  if (!quote) return <p className="notice error" role="alert">This way of sending it back is not available for these items.</p>;
  return (
    <div className="card stack" data-testid="return-summary">
      {resolution === "EXCHANGE" ? (
        <p><strong>Exchange, no charge.</strong></p>
      ) : (
        <p>
          You get <strong data-testid="refund-amount">{money(quote.refundMinor + quote.bonusMinor)}</strong> back
          {resolution === "STORE_CREDIT" ? " as store credit" : " to your original payment method"}
          {quote.feeMinor ? `, after a ${money(quote.feeMinor)} ${quote.fees.map((f) => f.label.toLowerCase()).join(" and ")} fee` : ""}.
        </p>
      )}
      <p className="muted">{moneyArrival(rules, resolution, quote.instantRefund)}</p>
      {quote.review.length ? <p className="notice warn">{checkedBeforeSending(method)}</p> : null}
    </div>
  );
}
