// Social mentions as inbound contacts: the social-listening tool sends each mention that it matched
// to a customer (or not) by signed webhook; it is logged once per mention id and linked to the
// journey the customer left, like a call an agent logs. The mention's text is not accepted: the
// portal needs the fact and the reason, not the post.
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { parseJsonBody } from "@/lib/http/input";
import { LEAVE_REASON_CODES } from "@/lib/voice/reasons";
import { linkContact } from "./contacts";

export const MAX_SOCIAL_BODY_BYTES = 8 * 1024;

const mentionSchema = z.object({
  type: z.literal("social.mention"),
  data: z.object({
    platform: z.string().trim().min(1).max(40),
    /** The customer the tool matched the author to, when it could. */
    customerEmail: z.email().max(200).optional(),
    /** The tool's classification, from the same list customers and agents use. */
    trigger: z.enum(LEAVE_REASON_CODES).optional(),
    at: z.iso.datetime({ offset: true }).transform((value) => new Date(value)),
  }),
});

export type SocialMention = z.infer<typeof mentionSchema>;

export function parseSocialMention(body: string): { ok: true; mention: SocialMention } | { ok: false; message: string } {
  const parsed = parseJsonBody(body, mentionSchema, "mention");
  return parsed.ok ? { ok: true, mention: parsed.value } : parsed;
}

/** Logs the mention as a SOCIAL contact once per webhook id; a replay changes nothing. */
export async function logSocialMention(db: Db, webhookId: string, mention: SocialMention, now: Date = new Date()) {
  const externalId = `social:${webhookId}`;
  if (await db.contact.findUnique({ where: { externalId }, select: { id: true } })) return { outcome: "replayed" as const };
  const customer = mention.data.customerEmail
    ? await db.user.findFirst({ where: { email: mention.data.customerEmail.toLowerCase(), role: "CUSTOMER", status: "ACTIVE" }, select: { id: true } })
    : null;
  // The mention is placed when it was posted (not later than now), so it links to what came before it.
  const at = mention.data.at.getTime() < now.getTime() ? mention.data.at : now;
  try {
    const { contact, journey } = await linkContact(db, { customerId: customer?.id ?? null, channel: "SOCIAL", reason: "other", trigger: mention.data.trigger ?? null, resolvedNeed: false, externalId }, { now: at });
    return { outcome: "logged" as const, contactId: contact.id, linkedJourney: journey?.id ?? null, matchedCustomer: customer !== null };
  } catch (error) {
    // Two deliveries of one mention at once: the unique id lets one through.
    if (error instanceof Error && "code" in error && error.code === "P2002") return { outcome: "replayed" as const };
    throw error;
  }
}
