"use server";
import { revalidatePath } from "next/cache";
import { db } from "@/lib/db/client";
import { submitAction } from "@/lib/http/action-client";
import { markAllRead } from "@/lib/notify/message-centre";

/** Sends nothing: it only ever touches the signed-in customer's own messages. */
export const markAllReadAction = submitAction({ name: "messages-mark-all-read", who: "customer", signIn: "/messages" }, async ({ principal }) => {
  await markAllRead(db(), principal.userId);
  // The bell's count is in the layout.
  revalidatePath("/", "layout");
  return { status: "ok" };
});
