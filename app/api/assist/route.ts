// Help in place: the browser asks after each step and error whether the portal should offer help.
import { z } from "zod";
import { currentPrincipal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { assist } from "@/lib/experience/assist";
import { customerActor } from "@/lib/trail/actor";
import { isJourneyType, isStepOf } from "@/lib/trail/journeys";

export const dynamic = "force-dynamic";

const requestSchema = z
  .object({
    journeyId: z.string().uuid(),
    type: z.string().refine(isJourneyType),
    step: z.string().max(40),
    order: z.string().regex(/^WM-\d{6}$/).optional(),
  })
  .refine((r) => isJourneyType(r.type) && isStepOf(r.type, r.step), "unknown step");

export async function GET(request: Request) {
  const principal = await currentPrincipal();
  if (!principal || principal.role !== "CUSTOMER") return Response.json({ intervention: null });
  const parsed = requestSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return Response.json({ error: "invalid request" }, { status: 400 });
  const { journeyId, type, step, order } = parsed.data;
  if (!isJourneyType(type)) return Response.json({ error: "invalid request" }, { status: 400 });
  const answer = await assist(db(), await customerActor(principal), { journeyId, type, step, orderNumber: order });
  return Response.json(answer, { headers: { "cache-control": "no-store" } });
}
