"use server";
import { db } from "@/lib/db/client";
import { formAction } from "@/lib/http/action-client";
import { startDataExport } from "@/lib/privacy/export";

/**
 * Starts a download: the export is addressed by its journey, which belongs to this customer, so
 * the file's URL works only for them (and only for an hour, see the route handler).
 */
export const prepareExportAction = formAction({ name: "data-export", who: "customer", signIn: "/account/privacy" }, async ({ principal, trail }) => {
  const journeyId = await startDataExport(db(), principal.userId, trail);
  return { status: "ok", message: "Your file is ready; the download starts now.", values: { href: `/account/privacy/export/${journeyId}` } };
});
