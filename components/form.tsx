"use client";
/** Dispatched when a form shows an error, so help in place (components/assist.tsx) can react. */
export const FORM_ERROR_EVENT = "waymark:form-error";
/** Dispatched when a form's answer is a success or a page shows a task's outcome, so what was offered after a failure (components/went-wrong.tsx) goes. */
export const TASK_SUCCEEDED_EVENT = "waymark:task-succeeded";

// Accessible form pieces: every input has a label, errors are tied to their field with
// aria-describedby, and the submit button says when it is working.
import { useFormStatus } from "react-dom";
import { Fragment, startTransition, useEffect, useLayoutEffect, useRef, useState, type FormHTMLAttributes, type InputHTMLAttributes, type ReactNode, type RefObject, type SelectHTMLAttributes, type SubmitEvent, type TextareaHTMLAttributes } from "react";
import type { FormState } from "@/lib/http/form-state";

type KeptFormProps = Omit<FormHTMLAttributes<HTMLFormElement>, "action"> & {
  action: (formData: FormData) => void;
  /** The form's answers: after one that succeeded, the fields start afresh (a form that grants something must not offer the same grant again, filled in). */
  clearedAfter?: FormState;
};

/**
 * A form that keeps what the customer typed when the server answers. React 19 resets a
 * `<form action={fn}>` after its action, which empties fields the answer does not echo back and
 * leaves a controlled select showing its first option while its state holds the chosen one (so the
 * next submit sends the wrong value). Running the action ourselves in a transition skips that reset,
 * and `useFormStatus` still sees the submit as pending. Without JavaScript the form posts as before.
 */
export function KeptForm({ action, onSubmit, children, clearedAfter, ...form }: KeptFormProps) {
  // Counted while rendering a new answer (React's way to adjust state to a prop), not in an effect after it.
  const [answer, setAnswer] = useState(clearedAfter);
  const [cleared, setCleared] = useState(0);
  if (clearedAfter !== answer) {
    setAnswer(clearedAfter);
    if (clearedAfter?.status === "ok") setCleared(cleared + 1);
  }
  function submit(event: SubmitEvent<HTMLFormElement>) {
    onSubmit?.(event);
    if (event.defaultPrevented) return;
    event.preventDefault();
    const data = new FormData(event.currentTarget, event.nativeEvent.submitter);
    startTransition(() => action(data));
  }
  return (
    <form action={action} onSubmit={submit} {...form}>
      <Fragment key={cleared}>{children}</Fragment>
    </form>
  );
}

/**
 * The radio chosen in a group, kept in state from the first render (for what the form shows with
 * it), starting from the one the page shows as it becomes interactive: a tap before then checks a
 * radio the state knew nothing of, so "A new address" was checked with no fields for it, and the
 * next render (a refresh of the page) checked the first address again. Put `group` on the fieldset.
 */
export function useRadioChoice(name: string, initial: string): [choice: string, choose: (value: string) => void, group: RefObject<HTMLFieldSetElement | null>] {
  const group = useRef<HTMLFieldSetElement>(null);
  const [choice, choose] = useState(initial);
  // A layout effect: read in the commit that makes the page interactive, before it is painted.
  useLayoutEffect(() => {
    const shown = group.current?.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value;
    if (shown !== undefined) choose(shown);
  }, [name]);
  return [choice, choose, group];
}

/** Ids of a control's hint and error, for aria-describedby. */
function describedBy(fieldId: string, hint: unknown, error: string | undefined): string | undefined {
  return [hint ? `${fieldId}-hint` : null, error ? `${fieldId}-error` : null].filter(Boolean).join(" ") || undefined;
}

function FieldError({ fieldId, error }: { fieldId: string; error?: string }) {
  return error ? <p id={`${fieldId}-error`} className="field-error">{error}</p> : null;
}

/** A labelled control with its hint and error; `control` gets the id and ARIA that tie them together. */
function LabelledControl({ fieldId, label, hint, error, control }: { fieldId: string; label: string; hint?: string; error?: string; control: (aria: ControlAria) => ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={fieldId}>{label}</label>
      {hint ? <span id={`${fieldId}-hint`} className="hint">{hint}</span> : null}
      {control({ id: fieldId, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy(fieldId, hint, error) })}
      <FieldError fieldId={fieldId} error={error} />
    </div>
  );
}

type ControlAria = { id: string; "aria-invalid": true | undefined; "aria-describedby": string | undefined };

type FieldProps = InputHTMLAttributes<HTMLInputElement> & { name: string; label: string; hint?: string; state?: FormState };

export function Field({ name, label, hint, state, id, ...input }: FieldProps) {
  const control = useRef<HTMLInputElement>(null);
  // A password stays typed only until it has done its work: left filled, it could be sent again
  // (and refused, as it is no longer the current one) or read over the customer's shoulder.
  const isPassword = input.type === "password";
  useEffect(() => {
    if (isPassword && state?.status === "ok" && control.current) control.current.value = "";
  }, [isPassword, state]);
  return (
    <LabelledControl fieldId={id ?? `field-${name}`} label={label} hint={hint} error={state?.fieldErrors?.[name]} control={(aria) => <input ref={control} {...aria} name={name} defaultValue={state?.values?.[name]} {...input} />} />
  );
}

type TextAreaFieldProps = TextareaHTMLAttributes<HTMLTextAreaElement> & { name: string; label: string; hint?: string; state?: FormState };

/** Free text over several lines; a refused form without JavaScript shows what was typed again. */
export function TextAreaField({ name, label, hint, state, id, ...textarea }: TextAreaFieldProps) {
  return (
    <LabelledControl fieldId={id ?? `field-${name}`} label={label} hint={hint} error={state?.fieldErrors?.[name]} control={(aria) => <textarea {...aria} name={name} defaultValue={state?.values?.[name]} {...textarea} />} />
  );
}

type SelectFieldProps = SelectHTMLAttributes<HTMLSelectElement> & { name: string; label: string; hint?: string; state?: FormState; options: { value: string; label: string }[] };

export function SelectField({ name, label, hint, state, options, id, ...select }: SelectFieldProps) {
  return (
    <LabelledControl
      fieldId={id ?? `field-${name}`}
      label={label}
      hint={hint}
      error={state?.fieldErrors?.[name]}
      control={(aria) => (
        <select {...aria} name={name} {...select}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>{option.label}</option>
          ))}
        </select>
      )}
    />
  );
}

type CheckboxFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "type"> & { name: string; label: ReactNode; hint?: ReactNode; state?: FormState };

export function CheckboxField({ name, label, hint, state, id, ...input }: CheckboxFieldProps) {
  const fieldId = id ?? `field-${name}`;
  const error = state?.fieldErrors?.[name];
  return (
    <div className="checkbox-field">
      <input type="checkbox" id={fieldId} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy(fieldId, hint, error)} {...input} />
      <div>
        <label htmlFor={fieldId}>{label}</label>
        {hint ? <div id={`${fieldId}-hint`} className="hint muted">{hint}</div> : null}
        <FieldError fieldId={fieldId} error={error} />
      </div>
    </div>
  );
}

/**
 * Disabled while its form is sent, so a second tap sends nothing twice. Of several buttons with a
 * `name` in one form, only the one pressed says what is happening.
 */
export function SubmitButton({ children, pendingLabel, className = "button", name, value }: { children: ReactNode; pendingLabel: string; className?: string; name?: string; value?: string }) {
  const { pending, data } = useFormStatus();
  const pressed = pending && (name === undefined || data?.get(name) === value);
  return (
    <button type="submit" className={className} name={name} value={value} disabled={pending} aria-disabled={pending}>
      {pressed ? pendingLabel : children}
    </button>
  );
}

/**
 * Where a refused submit leaves the keyboard: on the first field marked invalid, whose error is read
 * with it. Without it, focus falls to the page when the disabled submit button lets it go, and the
 * next Tab starts from the top. Whether there was such a field.
 */
export function focusFirstInvalid(within: ParentNode): boolean {
  const invalid = within.querySelector<HTMLElement>('[aria-invalid="true"]');
  invalid?.focus();
  return Boolean(invalid);
}

/**
 * The form-level message. A success is said in a polite status region that is on the page before
 * its text changes (a region inserted already filled is often not read out), and takes the focus the
 * submit button lost; a refusal is an alert,
 * inserted anew for every answer so the same message twice is announced twice.
 */
export function FormMessage({ state }: { state: FormState }) {
  const status = useRef<HTMLDivElement>(null);
  const notice = useRef<HTMLDivElement>(null);
  const [answer, setAnswer] = useState(state);
  const [answers, setAnswers] = useState(0);
  if (state !== answer) {
    setAnswer(state);
    setAnswers(answers + 1);
  }
  useEffect(() => {
    // Lets help in place (components/assist.tsx, components/went-wrong.tsx) react to the outcome.
    if (state.status === "error") {
      window.dispatchEvent(new Event(FORM_ERROR_EVENT));
      // A refusal no field is marked for (a form-level one) leaves the keyboard on its message.
      const form = status.current?.closest("form");
      if (!(form && focusFirstInvalid(form))) notice.current?.focus();
    }
    if (state.status === "ok") {
      window.dispatchEvent(new Event(TASK_SUCCEEDED_EVENT));
      // The submit button let focus go while it was disabled: the keyboard goes on from the message
      // (a screen reader reads it there), not from the top of the page. Focus put elsewhere stays.
      if (!document.activeElement || document.activeElement === document.body) status.current?.focus();
    }
    if (state.leaveFor) window.location.assign(state.leaveFor);
  }, [state]);
  const shown = state.status !== "idle" && Boolean(state.message);
  const text = (
    <>
      {state.message}
      {/* Without JavaScript, or if the browser does not go on by itself. */}
      {state.leaveFor ? <> <a href={state.leaveFor}>Continue</a></> : null}
    </>
  );
  return (
    <>
      <div ref={status} className="form-status" role="status" aria-live="polite" tabIndex={-1}>
        {shown && state.status === "ok" ? <div className="notice ok" data-testid="form-message">{text}</div> : null}
      </div>
      {shown && state.status === "error" ? (
        <div key={answers} ref={notice} className="notice error" role="alert" tabIndex={-1} data-testid="form-message">
          {text}
        </div>
      ) : null}
    </>
  );
}
