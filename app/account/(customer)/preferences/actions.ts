"use server";
import { revalidatePath } from "next/cache";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { formValues, parseForm, type FormState } from "@/lib/http/form-state";
import { safeAction } from "@/lib/http/safe-action";
import { preferencesFormSchema, savePreferences } from "@/lib/privacy/consents";
import { PREFERENCES, preferenceKey } from "@/lib/privacy/preferences";
import { accountTrail, recordFailedStep } from "@/app/account/_lib/trail";

export const savePreferencesAction = safeAction("communication-preferences", async (_previous: FormState, formData: FormData): Promise<FormState> => {
  const principal = await requireCustomer("/account/preferences");
  const trail = await accountTrail(principal, formData);
  const parsed = parseForm(preferencesFormSchema, formData);
  if (!parsed.ok) {
    await recordFailedStep(trail, "communication_preferences", "saved", "validation_error");
    return parsed.state;
  }
  const result = await savePreferences(db(), principal.userId, parsed.data, trail);
  if (!result.ok) {
    await recordFailedStep(trail, "communication_preferences", "saved", result.reason);
    const fieldErrors = Object.fromEntries(PREFERENCES.filter((p) => p.needsPhone && parsed.data[preferenceKey(p)]).map((p) => [preferenceKey(p), "Add a phone number to your profile first."]));
    return { status: "error", message: "Text messages and calls need a phone number. Add one in your profile, then choose them here. Nothing was changed.", fieldErrors, values: formValues(formData) };
  }
  // The layout passes the analytics choice to the browser's PostHog client.
  revalidatePath("/", "layout");
  return { status: "ok", message: result.changed === 0 ? "Nothing to change: these were already your choices." : "Your preferences are saved." };
});
