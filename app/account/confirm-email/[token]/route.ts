// The emailed confirmation link: its token goes into a cookie for /account/confirm-email at once,
// so the page (and posthog-js on it) never has it in its URL.
import { exchangeUrlSecret } from "@/lib/http/url-secret";

export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  return exchangeUrlSecret(request, "email-change", (await params).token, "/account/confirm-email");
}
