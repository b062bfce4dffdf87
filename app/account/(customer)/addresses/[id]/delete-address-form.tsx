"use client";
import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/components/form";
import { IDLE } from "@/lib/http/form-state";
import { JourneyForm } from "@/app/account/_components/journey-form";
import { deleteAddressAction } from "../actions";

/** Behind a disclosure, so deleting takes a deliberate second step. */
export function DeleteAddressForm({ addressId }: { addressId: string }) {
  const [state, formAction] = useActionState(deleteAddressAction, IDLE);
  return (
    <details className="card" open={state.status === "error"}>
      <summary>Delete this address</summary>
      <JourneyForm journey="address_change" submitStep="saved" action={formAction} className="stack">
        <FormMessage state={state} />
        <input type="hidden" name="addressId" value={addressId} />
        <p className="muted">Orders already placed keep their own copy of the address.</p>
        <SubmitButton pendingLabel="Deleting…" className="button danger">Delete address</SubmitButton>
      </JourneyForm>
    </details>
  );
}
