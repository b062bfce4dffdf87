"use client";
import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/components/form";
import { IDLE } from "@/lib/http/form-state";
import { JourneyForm } from "@/app/account/_components/journey-form";
import { signOutOthersAction, signOutSessionAction } from "./actions";
import { countOf } from "@/lib/format/plural";

export function SignOutOthersForm({ count }: { count: number }) {
  const [state, formAction] = useActionState(signOutOthersAction, IDLE);
  return (
    <JourneyForm journey="session_management" submitStep="signed_out" action={formAction}>
      <FormMessage state={state} />
      <p>
        {countOf(count, "other device is", "other devices are")} signed in. You stay signed in here.
      </p>
      <SubmitButton pendingLabel="Signing out…" className="button danger">Sign out of all other devices</SubmitButton>
    </JourneyForm>
  );
}

/** `which` names the device to screen readers, after the visible words. */
export function SignOutSessionForm({ sessionId, which }: { sessionId: string; which: string }) {
  const [state, formAction] = useActionState(signOutSessionAction, IDLE);
  return (
    <JourneyForm journey="session_management" submitStep="signed_out" action={formAction} className="inline-form">
      <FormMessage state={state} />
      <input type="hidden" name="sessionId" value={sessionId} />
      <SubmitButton pendingLabel="Signing out…" className="button secondary">
        Sign out<span className="sr-only"> {which}</span>
      </SubmitButton>
    </JourneyForm>
  );
}
