// Server-side sessions behind next-auth's JWT cookie: the cookie carries only the session id, and
// every request checks the row, so revoking it ends the session immediately.
import "server-only";
import { queryDirectSql, type Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { describeUserAgent, deviceClassFromUserAgent } from "@/lib/http/device";
import { notify } from "@/lib/notify/notify";

export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
const LAST_SEEN_RESOLUTION_MS = 5 * 60 * 1000;

export async function openSession(db: Db | Prisma.TransactionClient, userId: string, userAgent: string | null) {
  return db.authSession.create({
    data: {
      userId,
      userAgent: userAgent?.slice(0, 300) ?? null,
      deviceClass: deviceClassFromUserAgent(userAgent),
      expiresAt: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
    },
  });
}

/** What "the same device" means for a sign-in notice: the kind of device, browser and system, never the exact user agent (which changes with every browser update). */
const deviceKind = (userAgent: string | null) => `${deviceClassFromUserAgent(userAgent)}:${describeUserAgent(userAgent)}`;

/**
 * Opens a session, and tells the customer when it is on a kind of device none of the account's
 * earlier sessions (live or ended) used: a security notice, always sent, once per session. The
 * account's very first session is not "new": there is nothing to compare it with.
 */
export async function openSessionNoticingNewDevice(tx: Prisma.TransactionClient, userId: string, userAgent: string | null) {
  const earlier = await tx.authSession.findMany({ where: { userId }, select: { userAgent: true } });
  const session = await openSession(tx, userId, userAgent);
  const kind = deviceKind(userAgent);
  if (earlier.length > 0 && !earlier.some((s) => deviceKind(s.userAgent) === kind)) {
    await notify(tx, { type: "new_device_sign_in", userId, eventKey: `session:${session.id}`, data: { device: describeUserAgent(userAgent), at: session.createdAt.toISOString() } });
  }
  return session;
}

/** A live session's account as a signed-in request needs it, with what its header shows. */
export type LiveSession = {
  id: string;
  lastSeenAt: Date;
  user: { id: string; role: "CUSTOMER" | "AGENT" | "ANALYST"; name: string; email: string | null; analyticsId: string; analyticsConsent: boolean; timeZone: string | null };
  /** The customer's unread messages (0 for staff), read in the same query: the header shows it on every page. */
  unreadMessages: number;
};

/**
 * SQL true for a session row aliased `s` that is live: neither signed out nor expired. Every
 * statement that asks "is this browser still signed in" says it through this (`live()` says it
 * for Prisma's queries).
 */
export const IS_LIVE_SESSION_ROW = Prisma.sql`s."revokedAt" IS NULL AND s."expiresAt" > now()`;

/**
 * The live session with its account, or null when revoked, expired, or the account is not active.
 * One query on every signed-in request (the session, its account and the unread count together),
 * so the revocation check costs no extra round trip and stays on every request.
 */
export async function findLiveSession(db: Db, sessionId: string): Promise<LiveSession | null> {
  const [row] = await queryDirectSql<Omit<LiveSession, "user" | "unreadMessages"> & LiveSession["user"] & { userId: string; unreadMessages: number }>(db, Prisma.sql`
    SELECT s."id", s."lastSeenAt", u."id" AS "userId", u."role"::text AS "role", u."name", u."email", u."analyticsId"::text AS "analyticsId",
           u."analyticsConsent", u."timeZone",
           CASE WHEN u."role" = 'CUSTOMER' THEN (SELECT count(*) FROM "Notification" n WHERE n."userId" = u."id" AND n."readAt" IS NULL) ELSE 0 END::int AS "unreadMessages"
    FROM "AuthSession" s JOIN "User" u ON u."id" = s."userId"
    WHERE s."id" = ${sessionId} AND ${IS_LIVE_SESSION_ROW} AND u."status" = 'ACTIVE'`);
  if (!row) return null;
  const now = Date.now();
  if (now - row.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
    await db.authSession.update({ where: { id: row.id }, data: { lastSeenAt: new Date(now) } });
  }
  const { userId, role, name, email, analyticsId, analyticsConsent, timeZone } = row;
  return { id: row.id, lastSeenAt: row.lastSeenAt, user: { id: userId, role, name, email, analyticsId, analyticsConsent, timeZone }, unreadMessages: row.unreadMessages };
}

/**
 * SQL that is true when `sessionId` is a live session of the account aliased `u` in the query (an
 * active account, the session neither revoked nor expired): for statements that must check, in the
 * same query, that a request speaks for the account it names. `sessionId` may be a column of the
 * query (SQL) when one statement checks several requests' sessions.
 */
export function isLiveSessionOf(sessionId: string | null | Prisma.Sql): Prisma.Sql {
  return Prisma.sql`u."status" = 'ACTIVE' AND EXISTS (SELECT 1 FROM "AuthSession" s WHERE s."id" = ${sessionId} AND s."userId" = u."id" AND ${IS_LIVE_SESSION_ROW})`;
}

/** A session, with the account it was opened for, that something holds open (an offer stream). */
export type HeldSession = { sessionId: string; userId: string };

/**
 * The ids of those of the sessions given that are still live ones of their accounts, each marked
 * seen now (`lastSeenAt`: a portal page of that browser is in view, which is what holds an offer
 * stream open): the revocation check alone, in one statement however many there are (all of a web
 * process's offer streams, at each heartbeat, and each stream as it opens).
 */
export async function seeLiveSessions(db: Db, sessions: HeldSession[]): Promise<string[]> {
  if (sessions.length === 0) return [];
  const rows = await queryDirectSql<{ sessionId: string }>(db, Prisma.sql`
    UPDATE "AuthSession" held SET "lastSeenAt" = now()
    FROM unnest(${sessions.map((s) => s.sessionId)}::text[], ${sessions.map((s) => s.userId)}::text[]) AS q("sessionId", "userId")
    JOIN "User" u ON u."id" = q."userId"
    WHERE held."id" = q."sessionId" AND ${isLiveSessionOf(Prisma.sql`q."sessionId"`)}
    RETURNING held."id" AS "sessionId"`);
  return rows.map((row) => row.sessionId);
}

export async function revokeSession(db: Db, sessionId: string) {
  await db.authSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** What "signed in" means for a session row: neither signed out nor expired (IS_LIVE_SESSION_ROW in SQL). */
const live = () => ({ revokedAt: null, expiresAt: { gt: new Date() } });

/**
 * Ends every live session of the account, except the one given (the browser making the change),
 * and counts them: an expired session is no device to sign out ("Signed out of 2 other devices"
 * was said where the page had listed one).
 */
export async function revokeAllSessions(db: Db | Prisma.TransactionClient, userId: string, exceptSessionId?: string) {
  const { count } = await db.authSession.updateMany({
    where: { userId, ...live(), ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) },
    data: { revokedAt: new Date() },
  });
  return count;
}

/** The account's signed-in browsers, most recently used first. */
export async function listLiveSessions(db: Db, userId: string) {
  return db.authSession.findMany({
    where: { userId, ...live() },
    orderBy: { lastSeenAt: "desc" },
    select: { id: true, userAgent: true, deviceClass: true, createdAt: true, lastSeenAt: true },
  });
}

/** Ends one of the account's own sessions; false when it is not theirs or already ended (signed out or expired). */
export async function revokeOwnSession(db: Db | Prisma.TransactionClient, userId: string, sessionId: string): Promise<boolean> {
  const { count } = await db.authSession.updateMany({ where: { id: sessionId, userId, ...live() }, data: { revokedAt: new Date() } });
  return count === 1;
}
