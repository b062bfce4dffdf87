"use client";
import { useActionState } from "react";
import { FormMessage, KeptForm, SelectField, SubmitButton } from "@/components/form";
import Link from "@/components/link";
import { startChatAction } from "@/lib/cases/customer-actions";
import { CONTACT_REASONS } from "@/lib/contacts/reasons";
import { IDLE } from "@/lib/http/form-state";

const REASON_OPTIONS = [{ value: "", label: "Choose one" }, ...Object.entries(CONTACT_REASONS).map(([value, label]) => ({ value, label }))];

export function StartChatForm() {
  const [state, formAction] = useActionState(startChatAction, IDLE);
  return (
    <KeptForm action={formAction} className="stack" noValidate>
      <FormMessage state={state} />
      {state.status === "ok" ? (
        <p>
          <Link href="/cases">Your help requests</Link>
        </p>
      ) : (
        <>
          <SelectField name="reason" label="What is your question about?" options={REASON_OPTIONS} defaultValue={state.values?.reason ?? ""} required state={state} />
          <SubmitButton pendingLabel="Starting…">Start a chat</SubmitButton>
        </>
      )}
    </KeptForm>
  );
}
