// Records a refused or failed step of an account task, for actions whose change did not happen
// (bad input, wrong password): the trail shows the attempt and why it failed.
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { trailActor } from "@/lib/trail/actor";
import type { JourneyType } from "@/lib/trail/journeys";
import { journeyIdFrom, recordStep, type TrailActor } from "@/lib/trail/server";

export async function accountTrail(principal: Principal | null, formData: FormData): Promise<{ actor: TrailActor; journeyId: string }> {
  return { actor: await trailActor(principal), journeyId: journeyIdFrom(formData.get("journeyId")) };
}

export async function recordFailedStep(trail: { actor: TrailActor; journeyId: string }, type: JourneyType, step: string, errorCode: string) {
  await db().$transaction((tx) => recordStep(tx, trail.actor, { journeyId: trail.journeyId, type, step, action: "failed", errorCode }));
}
