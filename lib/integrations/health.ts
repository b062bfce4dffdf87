// How each outside service is doing, read from what waits for it: the outbox (by topic) and the
// email queue. Also the staff tools for what could not be delivered: listing dead letters and
// replaying them.
import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { env, type Config } from "@/lib/config/env";
import type { Db } from "@/lib/db/client";
import { BUSINESS_EVENT_TOPIC } from "@/lib/integrations/business-events";
import { carrierConfig } from "@/lib/integrations/carrier";
import { POSTHOG_TOPIC, postHogApiAccess, posthogConfig } from "@/lib/integrations/posthog";
import { smsConfig } from "@/lib/integrations/sms";
import { NOTIFY_EMAIL_TOPIC, NOTIFY_SMS_TOPIC } from "@/lib/notify/notify";
import { RELEASE_TOPIC } from "@/lib/payments/authorizations";
import { REFUND_TOPIC } from "@/lib/payments/refunds";
import { stripeConfig } from "@/lib/payments/stripe";
import { POSTHOG_DELETE_PERSON_TOPIC } from "@/lib/privacy/deletion";
import { DELETIONS_NOT_REACHING_POSTHOG } from "@/lib/privacy/posthog-person-deletion";
import { CARRIER_CANCEL_TOPIC, CARRIER_LABEL_TOPIC } from "@/lib/returns/labels";
import { backOfficeConfig, DELIVERY_TOPIC_PREFIX, deliveryTopic } from "./backoffice";
import { countOf } from "@/lib/format/plural";

/** Failing for longer than this (its oldest undelivered item is older, and attempts fail) counts as down. */
export const DOWN_AFTER_MINUTES = 10;

export type QueueStats = {
  /** Waiting to be delivered. */
  queued: number;
  /** Waiting, and their last attempt failed (a replayed dead letter counts again once it is tried). */
  failing: number;
  /** Given up after the maximum number of attempts; delivered only when staff replay them. */
  dead: number;
  oldestQueuedAt: Date | null;
  /** The most recent failure, redacted. */
  lastError: string | null;
};

export type Configured = "yes" | "no" | "invalid" | "unknown";
export type HealthState = "ok" | "degraded" | "down" | "not_configured";

export type IntegrationHealth = QueueStats & { key: string; name: string; topics: string[]; configured: Configured; state: HealthState; reason: string };

const EMPTY: QueueStats = { queued: 0, failing: 0, dead: 0, oldestQueuedAt: null, lastError: null };

function minutesBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / 60_000);
}

/** The state shown to staff, with the reason in a sentence. Framework-free. */
export function assessHealth(stats: QueueStats, configured: Configured, now: Date, downAfterMinutes = DOWN_AFTER_MINUTES): { state: HealthState; reason: string } {
  if (configured === "invalid") return { state: "down", reason: "The configuration is invalid, so nothing is sent; the server log says what is wrong." };
  const deadLetters = `${countOf(stats.dead, "dead letter needs", "dead letters need")} a replay.`;
  if (configured === "no") {
    return { state: "not_configured", reason: ["Not configured" + (stats.queued ? `: ${stats.queued} waiting until it is.` : "."), stats.dead ? deadLetters : ""].filter(Boolean).join(" ") };
  }
  const age = stats.oldestQueuedAt ? minutesBetween(stats.oldestQueuedAt, now) : 0;
  if (stats.failing > 0 && age >= downAfterMinutes) return { state: "down", reason: `Attempts have been failing for at least ${age} minutes; retrying with backoff.` };
  if (stats.failing > 0) return { state: "degraded", reason: "Recent attempts failed; retrying with backoff." };
  if (stats.dead > 0) return { state: "degraded", reason: deadLetters };
  return { state: "ok", reason: stats.queued ? "Delivering." : "Nothing waiting." };
}

/**
 * Person deletion is not optional once PostHog receives the trail (or deletions are already
 * waiting): a customer who deleted their account would otherwise stay in PostHog while the page
 * looked calm, so it is down, never merely "not configured".
 */
export function assessPersonDeletion(stats: QueueStats, configured: Configured, forwarding: boolean, now: Date): { state: HealthState; reason: string } {
  if (configured === "no" && (forwarding || stats.queued > 0)) {
    return { state: "down", reason: `${DELETIONS_NOT_REACHING_POSTHOG}${stats.queued ? ` Waiting: ${stats.queued}.` : ""}` };
  }
  return assessHealth(stats, configured, now);
}

/** How long something has waited, for staff at a glance. */
export function formatAge(since: Date | null, now: Date): string {
  if (!since) return "—";
  const minutes = Math.max(0, minutesBetween(since, now));
  if (minutes < 1) return "under a minute";
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} days`;
}

const SECRET_PATTERNS: [RegExp, string][] = [
  [/\b(?:sk|rk|pk)_(?:live|test)_\w+/g, "[key]"],
  [/\bwhsec_[\w+/=]+/g, "[secret]"],
  [/\bph[cx]_\w+/g, "[key]"],
  [/\bBearer\s+\S+/gi, "Bearer [token]"],
  [/\b(https?:\/\/)[^\s/?#]*@/g, "$1"],
  [/\b(https?:\/\/[^\s?#]+)[?#]\S*/g, "$1"],
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, "[email]"],
];

/** An error as staff may see it: no keys, tokens, credentials in URLs, query strings or email addresses; short. */
export function redactError(text: string | null, max = 200): string | null {
  if (!text) return null;
  const redacted = SECRET_PATTERNS.reduce((s, [pattern, replacement]) => s.replace(pattern, replacement), text);
  return redacted.length > max ? `${redacted.slice(0, max - 1)}…` : redacted;
}

type TopicRow = { topic: string; queued: bigint; failing: bigint; dead: bigint; oldest: Date | null; lastError: string | null };

/**
 * One pass over what is not delivered (the status index), grouped by topic. Counted in items: a
 * PostHog row is a batch of events, and staff read how many events wait.
 */
export async function outboxQueueStats(db: Db): Promise<Map<string, QueueStats>> {
  const rows = await db.$queryRaw<TopicRow[]>`
    WITH waiting AS (
      SELECT *, CASE WHEN "topic" = ${POSTHOG_TOPIC} THEN jsonb_array_length("payload"->'events') ELSE 1 END AS items
      FROM "OutboxMessage" WHERE "status" IN ('PENDING', 'DEAD'))
    SELECT "topic",
           COALESCE(sum(items) FILTER (WHERE "status" = 'PENDING'), 0) AS queued,
           COALESCE(sum(items) FILTER (WHERE "status" = 'PENDING' AND "lastError" IS NOT NULL AND "attempts" > 0), 0) AS failing,
           COALESCE(sum(items) FILTER (WHERE "status" = 'DEAD'), 0) AS dead,
           min("createdAt") FILTER (WHERE "status" = 'PENDING') AS oldest,
           (array_agg("lastError" ORDER BY "nextAttemptAt" DESC) FILTER (WHERE "lastError" IS NOT NULL))[1] AS "lastError"
    FROM waiting GROUP BY "topic"`;
  return new Map(
    rows.map((r) => [r.topic, { queued: Number(r.queued), failing: Number(r.failing), dead: Number(r.dead), oldestQueuedAt: r.oldest, lastError: redactError(r.lastError) }]),
  );
}

async function emailQueueStats(db: Db): Promise<QueueStats> {
  const [queued, failing, dead, oldest] = await Promise.all([
    db.emailMessage.count({ where: { status: "PENDING" } }),
    db.emailMessage.count({ where: { status: "PENDING", attempts: { gt: 0 } } }),
    db.emailMessage.count({ where: { status: "FAILED" } }),
    db.emailMessage.findFirst({ where: { status: "PENDING" }, orderBy: { createdAt: "asc" }, select: { createdAt: true } }),
  ]);
  return { queued, failing, dead, oldestQueuedAt: oldest?.createdAt ?? null, lastError: null };
}

function combine(stats: QueueStats[]): QueueStats {
  return stats.reduce(
    (sum, s) => ({
      queued: sum.queued + s.queued,
      failing: sum.failing + s.failing,
      dead: sum.dead + s.dead,
      oldestQueuedAt: !sum.oldestQueuedAt || (s.oldestQueuedAt && s.oldestQueuedAt < sum.oldestQueuedAt) ? s.oldestQueuedAt : sum.oldestQueuedAt,
      lastError: sum.lastError ?? s.lastError,
    }),
    EMPTY,
  );
}

/** A configuration reader's verdict: set, unset, or set but wrong (it throws). */
function configured(read: () => unknown): Configured {
  try {
    return read() ? "yes" : "no";
  } catch {
    return "invalid";
  }
}

/** Every integration, known or not: each known one even with nothing queued, any other outbox topic as it comes. */
export async function integrationsHealth(db: Db, config: Config = env(), now: Date = new Date()): Promise<IntegrationHealth[]> {
  const [byTopic, email] = await Promise.all([outboxQueueStats(db), emailQueueStats(db)]);
  let endpoints: string[] = [];
  try {
    endpoints = backOfficeConfig(config)?.endpoints.map((e) => e.name) ?? [];
  } catch {
    // Shown on the fan-out row as an invalid configuration.
  }
  const known: { key: string; name: string; topics: string[]; configured: Configured }[] = [
    { key: "posthog", name: "PostHog: trail events", topics: [POSTHOG_TOPIC], configured: configured(() => posthogConfig(config)) },
    { key: "posthog-deletion", name: "PostHog: person deletion", topics: [POSTHOG_DELETE_PERSON_TOPIC], configured: configured(() => postHogApiAccess(config)) },
    { key: "stripe", name: "Stripe: refunds and releases", topics: [REFUND_TOPIC, RELEASE_TOPIC], configured: configured(() => stripeConfig(config)) },
    { key: "carrier", name: "Carrier: return labels and call-offs", topics: [CARRIER_LABEL_TOPIC, CARRIER_CANCEL_TOPIC], configured: configured(() => carrierConfig(config)) },
    { key: "backoffice", name: "Back office: event fan-out", topics: [BUSINESS_EVENT_TOPIC], configured: configured(() => backOfficeConfig(config)) },
    { key: "notify-email", name: "Customer messages: emails", topics: [NOTIFY_EMAIL_TOPIC], configured: "yes" as const },
    { key: "sms", name: "Customer messages: text messages (SMS)", topics: [NOTIFY_SMS_TOPIC], configured: configured(() => smsConfig(config)) },
    ...endpoints.map((name) => ({ key: `backoffice:${name}`, name: `Back office: ${name}`, topics: [deliveryTopic(name)], configured: "yes" as const })),
  ];
  const claimed = new Set(known.flatMap((k) => k.topics));
  const others = [...byTopic.keys()]
    .filter((topic) => !claimed.has(topic))
    .sort()
    .map((topic) =>
      topic.startsWith(DELIVERY_TOPIC_PREFIX)
        ? { key: topic, name: `Back office: ${topic.slice(DELIVERY_TOPIC_PREFIX.length)} (no longer configured)`, topics: [topic], configured: "no" as const }
        : { key: topic, name: topic, topics: [topic], configured: "unknown" as const },
    );

  const rows = [...known, ...others].map((integration) => ({ ...integration, ...combine(integration.topics.map((t) => byTopic.get(t) ?? EMPTY)) }));
  rows.push({ key: "email", name: "Email (SMTP)", topics: [], configured: config.SMTP_URL ? "yes" : "no", ...email });
  const forwarding = configured(() => posthogConfig(config)) === "yes";
  return rows.map((row) => ({ ...row, ...(row.key === "posthog-deletion" ? assessPersonDeletion(row, row.configured, forwarding, now) : assessHealth(row, row.configured, now)) }));
}

export type StuckMessage = { id: string; topic: string; status: "PENDING" | "DEAD"; attempts: number; createdAt: Date; nextAttemptAt: Date; lastError: string | null };

/** Dead letters, then messages failing for longer than DOWN_AFTER_MINUTES; oldest first. Never the payload (it may hold personal data). */
export async function stuckMessages(db: Db, options: { topics?: string[]; now?: Date; limit?: number } = {}): Promise<{ messages: StuckMessage[]; total: number; dead: number }> {
  const longFailing = new Date((options.now ?? new Date()).getTime() - DOWN_AFTER_MINUTES * 60_000);
  const topics = options.topics?.length ? { topic: { in: options.topics } } : {};
  const where: Prisma.OutboxMessageWhereInput = {
    ...topics,
    OR: [
      { status: "DEAD" },
      // Failing since it was queued, or since staff last replayed it: a fresh replay is not stuck yet.
      { status: "PENDING", lastError: { not: null }, attempts: { gt: 0 }, OR: [{ replayedAt: null, createdAt: { lt: longFailing } }, { replayedAt: { lt: longFailing } }] },
    ],
  };
  const [rows, total, dead] = await Promise.all([
    db.outboxMessage.findMany({
      where,
      // The enum's order is PENDING, DELIVERED, DEAD: dead letters first.
      orderBy: [{ status: "desc" }, { createdAt: "asc" }],
      take: options.limit ?? 100,
      select: { id: true, topic: true, status: true, attempts: true, createdAt: true, nextAttemptAt: true, lastError: true },
    }),
    db.outboxMessage.count({ where }),
    db.outboxMessage.count({ where: { ...topics, status: "DEAD" } }),
  ]);
  return { messages: rows.map((r) => ({ ...r, status: r.status as StuckMessage["status"], lastError: redactError(r.lastError) })), total, dead };
}

/**
 * Puts dead letters back in the queue with a fresh set of attempts, due now. Only DEAD rows: a
 * pending row may be in a worker's hands, and resetting it could send it twice. Who replayed it and
 * when goes in front of the last error and in the server log.
 */
export async function replayDeadLetters(db: Db, selection: { ids: string[] } | { topics: string[] }, agentUserId: string, now: Date = new Date()): Promise<number> {
  const values = "ids" in selection ? selection.ids : selection.topics;
  if (values.length === 0) return 0;
  const note = `replayed by agent ${agentUserId} at ${now.toISOString()}`;
  const which = Prisma.sql`${Prisma.raw("ids" in selection ? '"id"' : '"topic"')} IN (${Prisma.join(values)})`;
  const count = await db.$executeRaw`
    UPDATE "OutboxMessage"
    SET "status" = 'PENDING', "attempts" = 0, "nextAttemptAt" = now(), "replayedAt" = ${now}, "lastError" = left(${note} || coalesce('; before: ' || "lastError", ''), 500)
    WHERE "status" = 'DEAD' AND ${which}`;
  if (count > 0) console.info(`[outbox] ${note}: ${count} dead letter(s) (${"ids" in selection ? "ids" : "topics"} ${values.join(", ")})`);
  return count;
}
