// What the customer agreed to be contacted about, and how, with the time of each choice. The
// ConsentRecord table is append-only: the current choice is the latest row per purpose and
// channel, so the history is the evidence. Analytics is mirrored on User.analyticsConsent, which
// the ingest endpoint reads to decide whether anything of the customer's reaches PostHog.
import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { recordStep, type TrailActor } from "@/lib/trail/server";
import type { AnalyticsDecision } from "./analytics-consent";
import { PREFERENCES, preferenceKey, type PreferenceDefinition } from "./preferences";

export type PreferenceState = PreferenceDefinition & { key: string; granted: boolean; since: Date | null };

type Tx = Prisma.TransactionClient;

export async function currentPreferences(db: Db | Tx, userId: string): Promise<PreferenceState[]> {
  const [user, latest] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: userId }, select: { analyticsConsent: true } }),
    db.consentRecord.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, distinct: ["purpose", "channel"] }),
  ]);
  return PREFERENCES.map((definition) => {
    const record = latest.find((r) => r.purpose === definition.purpose && r.channel === definition.channel);
    const granted = definition.purpose === "ANALYTICS" ? user.analyticsConsent : (record?.granted ?? definition.grantedByDefault);
    return { ...definition, key: preferenceKey(definition), granted, since: record?.createdAt ?? null };
  });
}

/** A checkbox per preference: present and "on" means granted, absent means not. */
export const preferencesFormSchema = z
  .record(z.string(), z.string())
  .transform((fields) => Object.fromEntries(PREFERENCES.map((p) => [preferenceKey(p), fields[preferenceKey(p)] === "on"])) as Record<string, boolean>);

export type SavePreferencesResult = { ok: true; changed: number } | { ok: false; reason: "phone_needed" };

/** Appends a record for each choice that changed; nothing is written when nothing changed. */
export async function savePreferences(db: Db, userId: string, wanted: Record<string, boolean>, trail: { actor: TrailActor; journeyId: string }): Promise<SavePreferencesResult> {
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { phone: true } });
    const current = await currentPreferences(tx, userId);
    const changes = current.filter((p) => wanted[p.key] !== undefined && wanted[p.key] !== p.granted);
    if (!user.phone && changes.some((p) => p.needsPhone && wanted[p.key])) return { ok: false, reason: "phone_needed" } as const;

    if (changes.length) {
      await tx.consentRecord.createMany({ data: changes.map((p) => ({ userId, purpose: p.purpose, channel: p.channel, granted: wanted[p.key] })) });
    }
    const analytics = changes.find((p) => p.purpose === "ANALYTICS");
    if (analytics) await tx.user.update({ where: { id: userId }, data: { analyticsConsent: wanted[analytics.key] } });
    // Turning analytics off applies to this very step: it is kept here but not sent to PostHog.
    const consent = analytics ? wanted[analytics.key] : trail.actor.consent;
    await recordStep(tx, { ...trail.actor, consent }, { journeyId: trail.journeyId, type: "communication_preferences", step: "saved", action: "completed" });
    return { ok: true, changed: changes.length } as const;
  });
}

/**
 * At sign-in, a decline made in this browser while signed out is the account's choice when it is
 * the more recent one: the account's last analytics choice (or, with none, its creation) came
 * before it. It is recorded with the time it was made, so a later choice on the account, here or
 * on another device, wins over it as any later choice does. An acceptance in the browser never
 * turns an account's analytics on: on a shared computer it may have been someone else's.
 */
export async function adoptDeviceDecline(tx: Tx, userId: string, device: AnalyticsDecision | null): Promise<void> {
  if (device?.choice !== "denied" || !device.madeAt) return;
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { analyticsConsent: true, createdAt: true } });
  if (!user.analyticsConsent) return;
  const last = await tx.consentRecord.findFirst({ where: { userId, purpose: "ANALYTICS", channel: "ANALYTICS" }, orderBy: { createdAt: "desc" }, select: { createdAt: true } });
  if (device.madeAt <= (last?.createdAt ?? user.createdAt)) return;
  // The browser's clock is not ours: a time ahead of now would outrank the customer's next choice.
  const madeAt = new Date(Math.min(device.madeAt.getTime(), Date.now()));
  await tx.consentRecord.create({ data: { userId, purpose: "ANALYTICS", channel: "ANALYTICS", granted: false, createdAt: madeAt } });
  await tx.user.update({ where: { id: userId }, data: { analyticsConsent: false } });
}
