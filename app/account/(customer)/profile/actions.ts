"use server";
import { revalidatePath } from "next/cache";
import { updateProfile } from "@/lib/accounts/profile";
import { profileSchema } from "@/lib/accounts/schemas";
import { db } from "@/lib/db/client";
import { formAction } from "@/lib/http/action-client";

export const updateProfileAction = formAction(
  { name: "profile-update", who: "customer", signIn: "/account/profile", input: profileSchema, trail: { type: "profile_update", step: "saved" } },
  async ({ input, principal, trail }) => {
    await updateProfile(db(), principal.userId, input, trail);
    revalidatePath("/", "layout");
    return { status: "ok", message: "Your profile is saved.", values: { name: input.name, phone: input.phone ?? "", locale: input.locale } };
  },
);
