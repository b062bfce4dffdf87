// Links in messages that can be followed without signing in: /m/<token> (a click, then the page the
// message is about), /m/<token>/open (the email's open pixel) and, for optional updates,
// /unsubscribe/<token>. A token names one message (or customer and purpose) and is signed with a
// key derived from NEXTAUTH_SECRET, so nobody can record a click for, or unsubscribe, someone else.
// Links are always absolute on the portal's public URL, never on a host taken from a request.
import { env, publicUrl } from "@/lib/config/env";
import { deriveKey, signToken, verifyToken } from "@/lib/crypto/signed-token";

export type MessageLinks = { baseUrl: string; key: string };
export type LinkChannel = "email" | "sms";

const CHANNELS: readonly LinkChannel[] = ["email", "sms"];
const ID = /^[a-z0-9]{20,40}$/;

/** The signing key for message links: derived, so the session secret itself never signs anything else. */
export function deriveLinkKey(secret: string): string {
  return deriveKey(secret, "waymark message links v1");
}

export function messageToken(key: string, notificationId: string, channel: LinkChannel): string {
  return signToken(key, `${notificationId}.${channel}`);
}

export function readMessageToken(key: string, token: string): { notificationId: string; channel: LinkChannel } | null {
  const value = verifyToken(key, token);
  const [notificationId, channel, ...rest] = value?.split(".") ?? [];
  if (rest.length || !ID.test(notificationId ?? "") || !CHANNELS.includes(channel as LinkChannel)) return null;
  return { notificationId, channel: channel as LinkChannel };
}

/** Where a message's button or text link goes: through the click recorder. */
export function clickUrl(links: MessageLinks, notificationId: string, channel: LinkChannel): string {
  return `${links.baseUrl}/m/${messageToken(links.key, notificationId, channel)}`;
}

export function openPixelUrl(links: MessageLinks, notificationId: string): string {
  return `${links.baseUrl}/m/${messageToken(links.key, notificationId, "email")}/open`;
}

/** The portal's own: its public URL and the key from NEXTAUTH_SECRET (set for the web server and the worker alike). */
export function messageLinks(): MessageLinks {
  const secret = env().NEXTAUTH_SECRET;
  if (!secret) throw new Error("NEXTAUTH_SECRET is not set: message links cannot be signed");
  return { baseUrl: publicUrl(), key: deriveLinkKey(secret) };
}
