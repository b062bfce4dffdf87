"use client";
import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/components/form";
import { IDLE } from "@/lib/http/form-state";
import { JourneyForm } from "@/app/account/_components/journey-form";
import { makeDefaultAction } from "../actions";

/** `which` names the address to screen readers, after the visible words. */
export function MakeDefaultButton({ addressId, use, which }: { addressId: string; use: "shipping" | "billing"; which: string }) {
  const [state, formAction] = useActionState(makeDefaultAction, IDLE);
  return (
    <JourneyForm journey="address_change" submitStep="saved" isStep="form" action={formAction} className="inline-form">
      <FormMessage state={state} />
      <input type="hidden" name="addressId" value={addressId} />
      <input type="hidden" name="use" value={use} />
      <SubmitButton pendingLabel="Saving…" className="button secondary">
        {use === "shipping" ? "Make default delivery" : "Make billing address"}
        <span className="sr-only"> for {which}</span>
      </SubmitButton>
    </JourneyForm>
  );
}
