// The emailed reset link: its token goes into a cookie for /reset-password at once, so the page
// (and posthog-js on it) never has it in its URL.
import { exchangeUrlSecret } from "@/lib/http/url-secret";

export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  return exchangeUrlSecret(request, "password-reset", (await params).token, "/reset-password");
}
