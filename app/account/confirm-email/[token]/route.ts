// The emailed confirmation link: its token goes into a cookie for /account/confirm-email at once,
// so the page (and posthog-js on it) never has it in its URL.
// The attempt that asked for the link continues in whichever browser opens it (lib/trail/linked-attempt.ts).
import { usableEmailChange } from "@/lib/accounts/profile";
import { currentPrincipal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { exchangeUrlSecret } from "@/lib/http/url-secret";
import { continueInThisBrowser } from "@/lib/trail/link-opened";

export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const response = exchangeUrlSecret(request, "email-change", token, "/account/confirm-email");
  const [link, principal] = await Promise.all([usableEmailChange(db(), token), currentPrincipal()]);
  await continueInThisBrowser(db(), request, response, link, principal);
  return response;
}
