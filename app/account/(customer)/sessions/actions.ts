"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { revokeAllSessions, revokeOwnSession } from "@/lib/accounts/sessions";
import { db } from "@/lib/db/client";
import { formAction } from "@/lib/http/action-client";

const TRAIL = { type: "session_management", step: "signed_out", refusedAt: "list", invalidInput: "session_not_found" } as const;
const NOT_SIGNED_IN = "That device is not signed in to your account any more, so there was nothing to sign out.";

export const signOutOthersAction = formAction({ name: "sessions-sign-out-others", who: "customer", signIn: "/account/sessions", trail: TRAIL }, async ({ principal, trail }) => {
  const ended = await db().$transaction(async (tx) => {
    const count = await revokeAllSessions(tx, principal.userId, principal.sessionId);
    await trail.step(tx);
    return count;
  });
  redirect(`/account/sessions?ended=${ended}`);
});

export const signOutSessionAction = formAction(
  {
    name: "sessions-sign-out-one",
    who: "customer",
    signIn: "/account/sessions",
    input: z.object({ sessionId: z.string().max(64) }),
    invalid: () => ({ status: "error", message: NOT_SIGNED_IN }),
    trail: TRAIL,
  },
  async ({ input, principal, trail }) => {
    // This device signs out with the header's Sign out button; here only the others.
    const ended = await db().$transaction(async (tx) => {
      const ok = input.sessionId !== principal.sessionId && (await revokeOwnSession(tx, principal.userId, input.sessionId));
      await trail.step(tx, ok ? null : "session_not_found");
      return ok;
    });
    if (!ended) return { status: "error", message: NOT_SIGNED_IN };
    redirect("/account/sessions?ended=1");
  },
);
