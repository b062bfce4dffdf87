"use client";
// First: zod runs interpreted in the browser (CSP), before any schema below is built.
import "@/lib/http/browser-zod";
import { useActionState } from "react";
import { FormMessage, KeptForm, SelectField, SubmitButton, TextAreaField } from "@/components/form";
import { CONTACT_CHANNELS, CONTACT_NOTE_MAX_LENGTH, CONTACT_REASONS } from "@/lib/contacts/reasons";
import { IDLE } from "@/lib/http/form-state";
import { LEAVE_REASONS } from "@/lib/voice/reasons";
import { logContactAction } from "./actions";

const CHANNEL_OPTIONS = CONTACT_CHANNELS.map((c) => ({ value: c, label: c.charAt(0) + c.slice(1).toLowerCase() }));
const REASON_OPTIONS = Object.entries(CONTACT_REASONS).map(([value, label]) => ({ value, label }));
const TRIGGER_OPTIONS = [{ value: "", label: "Choose one" }, ...Object.entries(LEAVE_REASONS).map(([value, label]) => ({ value, label }))];
const RESOLVED_OPTIONS = [
  { value: "yes", label: "Yes" },
  { value: "no", label: "No, it needs follow-up" },
];
const DEFAULTS: Record<string, string> = { channel: "PHONE", reason: "order_status", trigger: "", resolvedNeed: "no" };

/**
 * A refused submit keeps every choice the agent made and the note (KeptForm; without JavaScript,
 * the answer's values): a form that fell back to its defaults was sent again as a phone call about
 * an order's status, whatever the agent had chosen.
 */
export function LogContactForm({ customerId, customerName }: { customerId: string; customerName: string }) {
  const [state, formAction] = useActionState(logContactAction, IDLE);
  const values = { ...DEFAULTS, ...(state.status === "error" ? state.values : {}) };
  const select = (name: string, label: string, options: { value: string; label: string }[]) => (
    <SelectField name={name} label={label} options={options} state={state} defaultValue={values[name]} key={`${name}-${values[name]}`} />
  );
  return (
    <KeptForm className="card stack" action={formAction} clearedAfter={state}>
      <h2>Contact from {customerName}</h2>
      <FormMessage state={state} />
      <input type="hidden" name="customerId" value={customerId} />
      {select("channel", "Channel", CHANNEL_OPTIONS)}
      {select("reason", "Reason", REASON_OPTIONS)}
      {select("trigger", "What made them reach out?", TRIGGER_OPTIONS)}
      {select("resolvedNeed", "Did this contact resolve the customer’s need?", RESOLVED_OPTIONS)}
      <TextAreaField
        name="note"
        label="What was said (optional)"
        hint={`Up to ${CONTACT_NOTE_MAX_LENGTH} characters. Staff see it on the customer’s cases and trail; the customer sees it in a download of their data.`}
        rows={3}
        maxLength={CONTACT_NOTE_MAX_LENGTH}
        state={state}
      />
      <SubmitButton pendingLabel="Logging…">Log contact</SubmitButton>
    </KeptForm>
  );
}
