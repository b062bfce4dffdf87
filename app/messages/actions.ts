"use server";
import { refresh } from "next/cache";
import { db } from "@/lib/db/client";
import { submitAction } from "@/lib/http/action-client";
import { markAllRead } from "@/lib/notify/message-centre";

/** Sends nothing: it only ever touches the signed-in customer's own messages. */
export const markAllReadAction = submitAction({ name: "messages-mark-all-read", who: "customer", signIn: "/messages" }, async ({ principal }) => {
  await markAllRead(db(), principal.userId);
  // The bell's count is in the layout: the page is sent again with the answer. It is
  // refresh(), not revalidatePath("/", "layout"): every page under the layout is rendered per request
  // anyway, and a revalidation would also turn the prerendered /signin, /signup and /forgot-password
  // stale, which Next.js then renders again with different inline scripts than their policy's hashes.
  refresh();
  return { status: "ok" };
});
