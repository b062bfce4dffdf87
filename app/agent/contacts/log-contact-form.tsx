"use client";
// First: zod runs interpreted in the browser (CSP), before any schema below is built.
import "@/lib/http/browser-zod";
import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/components/form";
import { CONTACT_CHANNELS, CONTACT_REASONS } from "@/lib/contacts/reasons";
import { IDLE } from "@/lib/http/form-state";
import { LEAVE_REASONS } from "@/lib/voice/reasons";
import { logContactAction } from "./actions";

export function LogContactForm({ customerId, customerName }: { customerId: string; customerName: string }) {
  const [state, formAction] = useActionState(logContactAction, IDLE);
  return (
    <form className="card stack" action={formAction}>
      <h2>Contact from {customerName}</h2>
      <FormMessage state={state} />
      <input type="hidden" name="customerId" value={customerId} />
      <div className="field">
        <label htmlFor="channel">Channel</label>
        <select id="channel" name="channel" defaultValue="PHONE">
          {CONTACT_CHANNELS.map((c) => (
            <option key={c} value={c}>{c.charAt(0) + c.slice(1).toLowerCase()}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="reason">Reason</label>
        <select id="reason" name="reason" defaultValue="order_status">
          {Object.entries(CONTACT_REASONS).map(([value, label]) => (
            <option key={value} value={value}>{label}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="trigger">What made them reach out?</label>
        <select id="trigger" name="trigger" defaultValue="">
          <option value="" disabled>Choose one</option>
          {Object.entries(LEAVE_REASONS).map(([value, label]) => (
            <option key={value} value={value}>{label}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="resolvedNeed">Did this contact resolve the customer’s need?</label>
        <select id="resolvedNeed" name="resolvedNeed" defaultValue="no">
          <option value="yes">Yes</option>
          <option value="no">No, it needs follow-up</option>
        </select>
      </div>
      <SubmitButton pendingLabel="Logging…">Log contact</SubmitButton>
    </form>
  );
}
