// The emailed reset link: its token goes into a cookie for /reset-password at once, so the page
// (and posthog-js on it) never has it in its URL.
// The attempt that asked for the link continues in whichever browser opens it (lib/trail/linked-attempt.ts).
import { usableResetLink } from "@/lib/accounts/accounts";
import { db } from "@/lib/db/client";
import { exchangeUrlSecret } from "@/lib/http/url-secret";
import { currentPrincipal } from "@/lib/auth/principal";
import { trailActor } from "@/lib/trail/actor";
import { continueInThisBrowser } from "@/lib/trail/link-opened";
import { recordLinkFollowed } from "@/lib/trail/linked-attempt";

export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const response = exchangeUrlSecret(request, "password-reset", token, "/reset-password");
  const [link, principal] = await Promise.all([usableResetLink(db(), token), currentPrincipal()]);
  await continueInThisBrowser(db(), request, response, link, principal);
  // Opening the link is reaching the email step, whether or not this browser may send it itself.
  if (link && (!principal || principal.userId === link.userId)) await recordLinkFollowed(db(), await trailActor(principal), link, "email");
  return response;
}
