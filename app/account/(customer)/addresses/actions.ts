"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { addAddress, deleteAddress, makeDefault, updateAddress, type OpenOrderRef, type SaveResult } from "@/lib/addresses/addresses";
import { addressInputSchema } from "@/lib/addresses/schema";
import { db } from "@/lib/db/client";
import { boundFormAction, formAction, type ActionContext } from "@/lib/http/action-client";
import { formValues, type FormState } from "@/lib/http/form-state";

const REFUSALS: Record<Exclude<SaveResult, { ok: true }>["reason"], string> = {
  not_found: "We could not find that address in your account. It may have been deleted already; nothing was changed.",
  duplicate: "This address is already in your address book, so nothing was added.",
  too_many: "You have 20 saved addresses, the most we keep. Delete one you no longer use, then add this one.",
};

const ADDRESS_ID = /^[A-Za-z0-9_-]{1,64}$/;
const SIGN_IN = "/account/addresses";
const TRAIL = { type: "address_change", step: "saved", refusedAt: "form" } as const;
/** An id that cannot be one of ours finds nothing, like an id of someone else's. */
const NOT_FOUND = { ...TRAIL, invalidInput: "address_not_found" } as const;
const notFound = (): FormState => ({ status: "error", message: REFUSALS.not_found });

/** Open orders keeping the address as it was, carried to the list page to be named there. */
function keptParam(orders: OpenOrderRef[]) {
  return orders.length ? `&kept=${orders.map((o) => o.number).join(".")}` : "";
}

async function save({ input, principal, trail, formData, id }: ActionContext<"customer", z.output<typeof addressInputSchema>>): Promise<FormState> {
  const addressId = id || null;
  const result = await db().$transaction(async (tx) => {
    const outcome = addressId && ADDRESS_ID.test(addressId) ? await updateAddress(tx, principal.userId, addressId, input) : addressId ? ({ ok: false, reason: "not_found" } as const) : await addAddress(tx, principal.userId, input);
    await trail.step(tx, outcome.ok ? null : `address_${outcome.reason}`);
    return outcome;
  });
  if (!result.ok) return { status: "error", message: REFUSALS[result.reason], values: formValues(formData) };
  redirect(`/account/addresses?saved=${addressId ? "updated" : "added"}${keptParam(result.openOrdersKeepingOldAddress)}`);
}

export const addAddressAction = formAction({ name: "address-add", who: "customer", signIn: SIGN_IN, input: addressInputSchema, trail: TRAIL }, save);

export const updateAddressAction = boundFormAction({ name: "address-update", who: "customer", signIn: SIGN_IN, input: addressInputSchema, trail: TRAIL }, save);

export const deleteAddressAction = formAction(
  { name: "address-delete", who: "customer", signIn: SIGN_IN, input: z.object({ addressId: z.string().regex(ADDRESS_ID) }), invalid: notFound, trail: NOT_FOUND },
  async ({ input, principal, trail }) => {
    const result = await db().$transaction(async (tx) => {
      const outcome = await deleteAddress(tx, principal.userId, input.addressId);
      await trail.step(tx, outcome.ok ? null : "address_not_found");
      return outcome;
    });
    if (!result.ok) return notFound();
    const moved = result.defaultsMoved.length ? `&moved=${result.defaultsMoved.join(".")}` : "";
    redirect(`/account/addresses?saved=deleted${moved}${keptParam(result.openOrdersKeepingOldAddress)}`);
  },
);

export const makeDefaultAction = formAction(
  {
    name: "address-default",
    who: "customer",
    signIn: SIGN_IN,
    input: z.object({ addressId: z.string().regex(ADDRESS_ID), use: z.enum(["shipping", "billing"]).catch("shipping") }),
    invalid: notFound,
    trail: NOT_FOUND,
  },
  async ({ input, principal, trail }) => {
    const result = await db().$transaction(async (tx) => {
      const outcome = await makeDefault(tx, principal.userId, input.addressId, input.use);
      await trail.step(tx, outcome.ok ? null : "address_not_found");
      return outcome;
    });
    if (!result.ok) return notFound();
    redirect(`/account/addresses?saved=default-${input.use}`);
  },
);
