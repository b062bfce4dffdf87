// The emailed link to finish signing up: its token goes into a cookie for /signup/confirm at once,
// so the page (and posthog-js on it) never has it in its URL.
import { exchangeUrlSecret } from "@/lib/http/url-secret";

export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  return exchangeUrlSecret(request, "signup", (await params).token, "/signup/confirm");
}
