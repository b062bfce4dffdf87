// The emailed reset link: its token goes into a cookie for /reset-password at once, so the page
// (and posthog-js on it) never has it in its URL.
// The attempt that asked for the link continues in whichever browser opens it (lib/trail/linked-attempt.ts).
import { usableResetLink } from "@/lib/accounts/accounts";
import { db } from "@/lib/db/client";
import { exchangeUrlSecret } from "@/lib/http/url-secret";
import { continueInThisBrowser } from "@/lib/trail/link-opened";

export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const response = exchangeUrlSecret(request, "password-reset", token, "/reset-password");
  await continueInThisBrowser(db(), request, response, await usableResetLink(db(), token));
  return response;
}
