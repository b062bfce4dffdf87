"use server";
import { revalidatePath } from "next/cache";
import { updateProfile } from "@/lib/accounts/profile";
import { profileSchema } from "@/lib/accounts/schemas";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { parseForm, type FormState } from "@/lib/http/form-state";
import { safeAction } from "@/lib/http/safe-action";
import { accountTrail, recordFailedStep } from "@/app/account/_lib/trail";

export const updateProfileAction = safeAction("profile-update", async (_previous: FormState, formData: FormData): Promise<FormState> => {
  const principal = await requireCustomer("/account/profile");
  const trail = await accountTrail(principal, formData);
  const parsed = parseForm(profileSchema, formData);
  if (!parsed.ok) {
    await recordFailedStep(trail, "profile_update", "saved", "validation_error");
    return parsed.state;
  }
  await updateProfile(db(), principal.userId, parsed.data, trail);
  revalidatePath("/", "layout");
  return { status: "ok", message: "Your profile is saved.", values: { name: parsed.data.name, phone: parsed.data.phone ?? "", locale: parsed.data.locale } };
});
