// One-click unsubscribe (RFC 8058) from optional updates: every email of an optional message type
// carries `List-Unsubscribe: <https://…/unsubscribe/<token>>` and `List-Unsubscribe-Post:
// List-Unsubscribe=One-Click`; the mail client POSTs `List-Unsubscribe=One-Click` to that URL, with
// no cookie and no sign-in. The token is signed (it names the customer and the purpose), the body is
// parsed with zod, and each client is rate-limited. A GET only shows a button that makes the same
// POST, because mail scanners fetch links and must not unsubscribe anyone.
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { readCappedForm } from "@/lib/http/body";
import { PREFERENCES, PURPOSE_LABEL } from "@/lib/privacy/preferences";
import { signToken, verifyToken } from "@/lib/crypto/signed-token";
import type { MessageLinks } from "./links";

export type OptionalPurpose = "PROACTIVE_NOTICES";
const PURPOSES: readonly OptionalPurpose[] = ["PROACTIVE_NOTICES"];
const tokenValue = z.tuple([z.literal("unsubscribe"), z.string().regex(/^[A-Za-z0-9_-]{1,40}$/), z.enum(PURPOSES)]);

export const oneClickBodySchema = z.object({ "List-Unsubscribe": z.literal("One-Click") });
// The one-click body is `List-Unsubscribe=One-Click` (26 bytes); anything near this is something else.
const MAX_ONE_CLICK_BODY_BYTES = 1024;

export function unsubscribeUrl(links: MessageLinks, userId: string, purpose: OptionalPurpose): string {
  return `${links.baseUrl}/unsubscribe/${signToken(links.key, `unsubscribe.${userId}.${purpose}`)}`;
}

/** The headers an optional update's email carries. */
export function unsubscribeHeaders(url: string): Record<string, string> {
  return { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}

function readToken(key: string, token: string): { userId: string; purpose: OptionalPurpose } | null {
  const parsed = tokenValue.safeParse(verifyToken(key, token)?.split("."));
  return parsed.success ? { userId: parsed.data[1], purpose: parsed.data[2] } : null;
}

/** Turns the purpose off on every channel it was on; false when the token names nobody. Idempotent. */
export async function unsubscribe(db: Db, key: string, token: string): Promise<{ purpose: OptionalPurpose } | null> {
  const found = readToken(key, token);
  if (!found) return null;
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: found.userId }, select: { id: true } });
    if (!user) return null;
    const latest = await tx.consentRecord.findMany({ where: { userId: user.id, purpose: found.purpose }, orderBy: { createdAt: "desc" }, distinct: ["channel"] });
    const on = PREFERENCES.filter((p) => p.purpose === found.purpose && (latest.find((c) => c.channel === p.channel)?.granted ?? p.grantedByDefault));
    if (on.length) await tx.consentRecord.createMany({ data: on.map((p) => ({ userId: user.id, purpose: found.purpose, channel: p.channel as "EMAIL" | "SMS", granted: false })) });
    return { purpose: found.purpose };
  });
}

export type UnsubscribeDeps = { db: Db; key: string; spend: (clientAddress: string) => Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }>; clientAddress: string };

const text = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers } });

/** POST /unsubscribe/<token>: the one-click request a mail client (or the page's button) sends. */
export async function handleOneClick(request: Request, token: string, deps: UnsubscribeDeps): Promise<Response> {
  const budget = await deps.spend(deps.clientAddress);
  if (!budget.ok) return text(429, "Too many requests. Please try again later.", { "retry-after": String(budget.retryAfterSeconds) });
  const form = await readCappedForm(request, MAX_ONE_CLICK_BODY_BYTES);
  if (form === "too-large") return text(413, "This is not an unsubscribe request: it is far too long.");
  const body = oneClickBodySchema.safeParse(form instanceof FormData ? Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) : null);
  if (!body.success) return text(400, "This is not an unsubscribe request.");
  const done = await unsubscribe(deps.db, deps.key, token);
  if (!done) return text(404, "This unsubscribe link is not valid.");
  return text(200, `Unsubscribed: you will no longer get “${PURPOSE_LABEL[done.purpose]}”. You can turn them back on in your account's communication preferences.`);
}
