import { spend } from "@/lib/auth/rate-limit";
import { db } from "@/lib/db/client";
import { clientAddress } from "@/lib/http/client-address";
import { messageLinks } from "@/lib/notify/links";
import { handleOneClick } from "@/lib/notify/unsubscribe";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ token: string }> };

// The one-click POST from a mail client (RFC 8058), or from the button below; no sign-in.
export async function POST(request: Request, { params }: Params) {
  const { token } = await params;
  return handleOneClick(request, token, { db: db(), key: messageLinks().key, spend: (client) => spend(db(), [["unsubscribe:client", client]]), clientAddress: clientAddress(request.headers) });
}

// Following the link in the email: a button, never an unsubscribe by itself (mail scanners open links).
export async function GET() {
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Stop heads-ups · Waymark</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
<h1>Stop these heads-ups?</h1>
<p>We will stop telling you in advance about late parcels, slow refunds and the last days to return. Updates about changes you make still reach you.</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit" style="font-size: 1rem; padding: 0.6rem 1rem">Stop heads-ups</button></form>
</body></html>`;
  return new Response(page, { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}
