"use server";
import { redirect } from "next/navigation";
import { revokeAllSessions, revokeOwnSession } from "@/lib/accounts/sessions";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import type { FormState } from "@/lib/http/form-state";
import { safeAction } from "@/lib/http/safe-action";
import { recordStep } from "@/lib/trail/server";
import { accountTrail } from "@/app/account/_lib/trail";

export const signOutOthersAction = safeAction("sessions-sign-out-others", async (_previous: FormState, formData: FormData): Promise<FormState> => {
  const principal = await requireCustomer("/account/sessions");
  const trail = await accountTrail(principal, formData);
  const ended = await db().$transaction(async (tx) => {
    const count = await revokeAllSessions(tx, principal.userId, principal.sessionId);
    await recordStep(tx, trail.actor, { journeyId: trail.journeyId, type: "session_management", step: "signed_out", action: "completed" });
    return count;
  });
  redirect(`/account/sessions?ended=${ended}`);
});

export const signOutSessionAction = safeAction("sessions-sign-out-one", async (_previous: FormState, formData: FormData): Promise<FormState> => {
  const principal = await requireCustomer("/account/sessions");
  const trail = await accountTrail(principal, formData);
  const sessionId = String(formData.get("sessionId") ?? "").slice(0, 64);
  // This device signs out with the header's Sign out button; here only the others.
  const ended = await db().$transaction(async (tx) => {
    const ok = sessionId !== principal.sessionId && (await revokeOwnSession(tx, principal.userId, sessionId));
    await recordStep(tx, trail.actor, { journeyId: trail.journeyId, type: "session_management", step: "signed_out", ...(ok ? { action: "completed" } : { action: "failed", errorCode: "session_not_found" }) });
    return ok;
  });
  if (!ended) return { status: "error", message: "That device is not signed in to your account any more, so there was nothing to sign out." };
  redirect("/account/sessions?ended=1");
});
