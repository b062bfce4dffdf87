"use server";
import { refresh } from "next/cache";
import { db } from "@/lib/db/client";
import { formAction } from "@/lib/http/action-client";
import { formValues } from "@/lib/http/form-state";
import { preferencesFormSchema, savePreferences } from "@/lib/privacy/consents";
import { PREFERENCES, preferenceKey } from "@/lib/privacy/preferences";

export const savePreferencesAction = formAction(
  { name: "communication-preferences", who: "customer", signIn: "/account/preferences", input: preferencesFormSchema, trail: { type: "communication_preferences", step: "saved", refusedAt: "form" } },
  async ({ input, principal, trail, formData }) => {
    const result = await savePreferences(db(), principal.userId, input, trail);
    if (!result.ok) {
      await trail.failed(result.reason);
      const fieldErrors = Object.fromEntries(PREFERENCES.filter((p) => p.needsPhone && input[preferenceKey(p)]).map((p) => [preferenceKey(p), "Add a phone number to your profile first."]));
      return { status: "error", message: "Text messages and calls need a phone number. Add one in your profile, then choose them here. Nothing was changed.", fieldErrors, values: formValues(formData) };
    }
    // The layout passes the analytics choice to the browser's PostHog client.
    refresh();
    return { status: "ok", message: result.changed === 0 ? "Nothing to change: these were already your choices." : "Your preferences are saved." };
  },
);
