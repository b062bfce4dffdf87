"use server";
import { refresh } from "next/cache";
import { formatPhone } from "@/lib/accounts/phone";
import { adoptBrowserTimeZone, updateProfile } from "@/lib/accounts/profile";
import { browserTimeZoneSchema, profileSchema } from "@/lib/accounts/schemas";
import { db } from "@/lib/db/client";
import { formAction } from "@/lib/http/action-client";

export const updateProfileAction = formAction(
  { name: "profile-update", who: "customer", signIn: "/account/profile", input: profileSchema, trail: { type: "profile_update", step: "saved", refusedAt: "form" } },
  async ({ input, principal, trail }) => {
    await updateProfile(db(), principal.userId, input, trail);
    // The header shows the name: the page is sent again with the answer (see app/messages/actions.ts for why not revalidatePath).
    refresh();
    return { status: "ok", message: "Your profile is saved.", values: { name: input.name, phone: input.phone ? formatPhone(input.phone) : "", locale: input.locale, timeZone: input.timeZone } };
  },
);

/** Sent once by the browser of a customer with no zone yet (components/time-zone-reporter.tsx); never overrides one. */
export const adoptBrowserTimeZoneAction = formAction(
  { name: "profile-browser-time-zone", who: "customer", signedOut: "", input: browserTimeZoneSchema },
  async ({ input, principal }) => {
    const adopted = await adoptBrowserTimeZone(db(), principal.userId, input.timeZone);
    if (adopted) refresh();
    return { status: "ok" };
  },
);
