"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireStaff } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import type { FormState } from "@/lib/http/form-state";
import { safeAction } from "@/lib/http/safe-action";
import { replayDeadLetters } from "@/lib/integrations/health";
import { countOf } from "@/lib/format/plural";

const replaySchema = z.union([
  z.object({ messageId: z.string().min(1).max(100) }),
  z.object({ scope: z.literal("topics"), topics: z.array(z.string().min(1).max(100)).min(1).max(20) }),
]);

export const replayAction = safeAction("outbox-replay", async (_previous: FormState, formData: FormData): Promise<FormState> => {
  // Checked again here: an action can be called without the page.
  const agent = await requireStaff("AGENT");
  const messageId = formData.get("messageId");
  const parsed = replaySchema.safeParse(typeof messageId === "string" ? { messageId } : { scope: formData.get("scope"), topics: formData.getAll("topic") });
  if (!parsed.success) return { status: "error", message: "Choose a message to replay." };
  const count = await replayDeadLetters(db(), "messageId" in parsed.data ? { ids: [parsed.data.messageId] } : { topics: parsed.data.topics }, agent.userId);
  revalidatePath("/agent/outbox");
  revalidatePath("/agent/health");
  if (count === 0) return { status: "error", message: "Nothing was replayed: it had already been replayed. The list below is up to date." };
  return {
    status: "ok",
    message: `${countOf(count, "message is", "messages are")} queued again and will be sent within seconds. If the service is still down, they are retried with backoff.`,
  };
});
