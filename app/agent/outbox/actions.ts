"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { formAction } from "@/lib/http/action-client";
import { replayDeadLetters } from "@/lib/integrations/health";
import { countOf } from "@/lib/format/plural";

const replaySchema = z.union([
  z.object({ messageId: z.string().min(1).max(100) }),
  z.object({ scope: z.literal("topics"), topics: z.array(z.string().min(1).max(100)).min(1).max(20) }),
]);

export const replayAction = formAction(
  {
    name: "outbox-replay",
    who: "agent",
    input: replaySchema,
    read: ({ formData }) => {
      const messageId = formData.get("messageId");
      return typeof messageId === "string" ? { messageId } : { scope: formData.get("scope"), topics: formData.getAll("topic") };
    },
    invalid: () => ({ status: "error", message: "Choose a message to replay." }),
  },
  async ({ input, principal: agent }) => {
    const count = await replayDeadLetters(db(), "messageId" in input ? { ids: [input.messageId] } : { topics: input.topics }, agent.userId);
    revalidatePath("/agent/outbox");
    revalidatePath("/agent/health");
    if (count === 0) return { status: "error", message: "Nothing was replayed: it had already been replayed. The list below is up to date." };
    return {
      status: "ok",
      message: `${countOf(count, "message is", "messages are")} queued again and will be sent within seconds. If the service is still down, they are retried with backoff.`,
    };
  },
);
