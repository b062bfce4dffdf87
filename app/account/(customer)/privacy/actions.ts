"use server";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import type { FormState } from "@/lib/http/form-state";
import { safeAction } from "@/lib/http/safe-action";
import { recordStep } from "@/lib/trail/server";
import { accountTrail } from "@/app/account/_lib/trail";

/**
 * Starts a download: the export is addressed by its journey, which belongs to this customer, so
 * the file's URL works only for them (and only for an hour, see the route handler).
 */
export const prepareExportAction = safeAction("data-export", async (_previous: FormState, formData: FormData): Promise<FormState> => {
  const principal = await requireCustomer("/account/privacy");
  const trail = await accountTrail(principal, formData);
  // A journey id from the form that is someone else's (a forged form) is not reused.
  const existing = await db().journey.findUnique({ where: { id: trail.journeyId }, select: { userId: true, type: true } });
  const journeyId = !existing || (existing.userId === principal.userId && existing.type === "data_export") ? trail.journeyId : crypto.randomUUID();
  await db().$transaction((tx) => recordStep(tx, trail.actor, { journeyId, type: "data_export", step: "privacy", action: "completed" }));
  return { status: "ok", message: "Your file is ready; the download starts now.", values: { href: `/account/privacy/export/${journeyId}` } };
});
