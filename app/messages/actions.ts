"use server";
import { revalidatePath } from "next/cache";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { markAllRead } from "@/lib/notify/message-centre";

/** Takes nothing from the form: it only ever touches the signed-in customer's own messages. */
export async function markAllReadAction(): Promise<void> {
  const principal = await requireCustomer("/messages");
  await markAllRead(db(), principal.userId);
  // The bell's count is in the layout.
  revalidatePath("/", "layout");
}
