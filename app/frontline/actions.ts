"use server";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { offerHelp } from "@/lib/frontline/reach-out";
import { formAction } from "@/lib/http/action-client";

export const reachOutAction = formAction({ name: "reach-out", who: "agent", input: z.object({ journeyId: z.uuid() }) }, async ({ input, principal }) => {
  const offered = await offerHelp(db(), principal.userId, input.journeyId);
  if (!offered.ok) return { status: "error", message: "That customer has finished or left the task." };
  return { status: "ok", message: `Help offered on the customer's page${offered.caseNumber ? ` (case ${offered.caseNumber})` : ""}.` };
});
