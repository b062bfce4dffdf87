// The hosted Checkout page: GET /_hosted/checkout/:id shows the session with the test cards; POST
// completes it and redirects to success_url (or shows the decline).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { StandInCheckoutSessions } from "./checkout-sessions";
import type { StandInObjects } from "./objects";
import { TEST_CARDS, type StripeObject, type TestCard } from "./types";

export function createHostedPages({ objects }: StandInObjects, { completeCheckout }: StandInCheckoutSessions) {
  function hostedPage(session: StripeObject, error: string | null): string {
    const payment = session.mode === "payment";
    const description = (session.stand_in as { description: string }).description;
    const amount = payment ? new Intl.NumberFormat("en-GB", { style: "currency", currency: String(session.currency).toUpperCase() }).format((session.amount_total as number) / 100) : "";
    const cards = (Object.keys(TEST_CARDS) as TestCard[]).filter((card) => payment ? card !== "charge_declined" : true);
    const title = payment ? `Pay ${amount}` : "Save a card";
    const closed = session.status !== "open";
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Stripe stand-in</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f6f8fa;color:#1a1f36}main{max-width:440px;margin:0 auto;padding:16px}
.banner{background:#fff4d6;border:1px solid #f0c36d;padding:8px 12px;border-radius:6px;font-size:.9rem}
fieldset{border:1px solid #d0d7de;border-radius:8px;padding:12px;margin:16px 0}label{display:flex;gap:8px;padding:8px 0;align-items:center}
button{font:inherit;width:100%;padding:12px;border-radius:6px;border:0;background:#635bff;color:#fff;font-weight:600;cursor:pointer}
button:focus-visible,a:focus-visible,input:focus-visible{outline:3px solid #0969da;outline-offset:2px}.error{color:#b42318;background:#fef3f2;border:1px solid #fecdca;padding:8px 12px;border-radius:6px}
</style></head>
<body><main>
<p class="banner">Test stand-in for Stripe Checkout. This is not Stripe and moves no money.</p>
<h1>${escapeHtml(title)}</h1>
${description ? `<p>${escapeHtml(description)}</p>` : "<p>Your card is saved with our payment provider for later payments.</p>"}
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
${closed ? "<p>This page has expired or was already completed.</p>" : `<form method="post" action="/_hosted/checkout/${escapeHtml(session.id)}">
<fieldset><legend>Test card</legend>
${cards.map((card, index) => `<label><input type="radio" name="card" value="${card}"${index === 0 ? " checked" : ""}> ${escapeHtml(TEST_CARDS[card].label)}</label>`).join("\n")}
</fieldset>
<button type="submit">${payment ? `Pay ${escapeHtml(amount)}` : "Save card"}</button>
</form>`}
${session.cancel_url ? `<p><a href="${escapeHtml(String(session.cancel_url))}">Cancel and return</a></p>` : ""}
</main></body></html>`;
  }

  async function handleHosted(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer) {
    const match = /^\/_hosted\/checkout\/([\w-]+)$/.exec(path);
    const session = match ? objects.get(match[1]) : undefined;
    if (!session || session.object !== "checkout.session") {
      res.writeHead(404, { "content-type": "text/html; charset=utf-8" }).end("<!doctype html><title>Not found</title><p>No such Checkout Session.</p>");
      return;
    }
    if (req.method === "POST" && session.status === "open") {
      const card = new URLSearchParams(body.toString("utf8")).get("card");
      const chosen: TestCard = card && card in TEST_CARDS ? (card as TestCard) : "visa";
      const redirect = completeCheckout(session.id, chosen);
      if (redirect) {
        res.writeHead(303, { location: redirect }).end();
        return;
      }
      res.writeHead(402, { "content-type": "text/html; charset=utf-8" }).end(hostedPage(session, "Your card was declined. Try another card."));
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(hostedPage(session, null));
  }

  return { handleHosted };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
