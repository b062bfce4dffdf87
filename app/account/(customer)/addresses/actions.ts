"use server";
import { redirect } from "next/navigation";
import { addAddress, deleteAddress, makeDefault, updateAddress, type OpenOrderRef, type SaveResult } from "@/lib/addresses/addresses";
import { addressInputSchema } from "@/lib/addresses/schema";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { formValues, parseForm, type FormState } from "@/lib/http/form-state";
import { safeAction, type BoundFormArgs } from "@/lib/http/safe-action";
import { recordStep } from "@/lib/trail/server";
import { accountTrail, recordFailedStep } from "@/app/account/_lib/trail";

const REFUSALS: Record<Exclude<SaveResult, { ok: true }>["reason"], string> = {
  not_found: "We could not find that address in your account. It may have been deleted already; nothing was changed.",
  duplicate: "This address is already in your address book, so nothing was added.",
  too_many: "You have 20 saved addresses, the most we keep. Delete one you no longer use, then add this one.",
};

const ADDRESS_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Open orders keeping the address as it was, carried to the list page to be named there. */
function keptParam(orders: OpenOrderRef[]) {
  return orders.length ? `&kept=${orders.map((o) => o.number).join(".")}` : "";
}

async function save(formData: FormData, addressId: string | null): Promise<FormState> {
  const principal = await requireCustomer("/account/addresses");
  const trail = await accountTrail(principal, formData);
  const parsed = parseForm(addressInputSchema, formData);
  if (!parsed.ok) {
    await recordFailedStep(trail, "address_change", "saved", "validation_error");
    return parsed.state;
  }
  const result = await db().$transaction(async (tx) => {
    const outcome = addressId && ADDRESS_ID.test(addressId) ? await updateAddress(tx, principal.userId, addressId, parsed.data) : addressId ? ({ ok: false, reason: "not_found" } as const) : await addAddress(tx, principal.userId, parsed.data);
    await recordStep(tx, trail.actor, { journeyId: trail.journeyId, type: "address_change", step: "saved", ...(outcome.ok ? { action: "completed" } : { action: "failed", errorCode: `address_${outcome.reason}` }) });
    return outcome;
  });
  if (!result.ok) return { status: "error", message: REFUSALS[result.reason], values: formValues(formData) };
  redirect(`/account/addresses?saved=${addressId ? "updated" : "added"}${keptParam(result.openOrdersKeepingOldAddress)}`);
}

export const addAddressAction = safeAction("address-add", async (_previous: FormState, formData: FormData) => save(formData, null));

export async function updateAddressAction(addressId: string, _previous: FormState, formData: FormData): Promise<FormState> {
  return safeAction<BoundFormArgs>("address-update", async () => save(formData, addressId))(addressId, _previous, formData);
}

export const deleteAddressAction = safeAction("address-delete", async (_previous: FormState, formData: FormData): Promise<FormState> => {
  const principal = await requireCustomer("/account/addresses");
  const trail = await accountTrail(principal, formData);
  const addressId = String(formData.get("addressId") ?? "");
  const result = await db().$transaction(async (tx) => {
    const outcome = ADDRESS_ID.test(addressId) ? await deleteAddress(tx, principal.userId, addressId) : ({ ok: false, reason: "not_found" } as const);
    await recordStep(tx, trail.actor, { journeyId: trail.journeyId, type: "address_change", step: "saved", ...(outcome.ok ? { action: "completed" } : { action: "failed", errorCode: "address_not_found" }) });
    return outcome;
  });
  if (!result.ok) return { status: "error", message: REFUSALS.not_found };
  redirect(`/account/addresses?saved=deleted${keptParam(result.openOrdersKeepingOldAddress)}`);
});

export const makeDefaultAction = safeAction("address-default", async (_previous: FormState, formData: FormData): Promise<FormState> => {
  const principal = await requireCustomer("/account/addresses");
  const trail = await accountTrail(principal, formData);
  const addressId = String(formData.get("addressId") ?? "");
  const use = formData.get("use") === "billing" ? "billing" : "shipping";
  const result = await db().$transaction(async (tx) => {
    const outcome = ADDRESS_ID.test(addressId) ? await makeDefault(tx, principal.userId, addressId, use) : { ok: false };
    await recordStep(tx, trail.actor, { journeyId: trail.journeyId, type: "address_change", step: "saved", ...(outcome.ok ? { action: "completed" } : { action: "failed", errorCode: "address_not_found" }) });
    return outcome;
  });
  if (!result.ok) return { status: "error", message: REFUSALS.not_found };
  redirect(`/account/addresses?saved=default-${use}`);
});
