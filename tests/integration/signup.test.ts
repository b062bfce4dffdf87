// Sign-up cannot be used to find out whether an email has an account: the form's answer, and
// everything written before it, are the same for a taken and a free address. Only the queue's
// worker tells them apart: the owner of a taken address is emailed (no second account), a free
// one gets the link that finishes the sign-up. The real server actions run against the real
// PostgreSQL; only Next's request context (headers, cookies) is provided by the test.
import crypto from "node:crypto";
import type { IncomingMessage } from "node:http";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { authenticate } from "@/lib/accounts/accounts";
import { sendSignUpEmails, SIGNUP_REQUEST_TOPIC } from "@/lib/accounts/signup";
import { hashPassword } from "@/lib/auth/password";
import { withClientAddress } from "@/lib/http/client-address";
import { IDLE } from "@/lib/http/form-state";
import { deliverDue } from "@/lib/outbox/outbox";
import { freshDatabaseForActions } from "../support/db";

const request = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => ({
  headers: async () => request.headers,
  cookies: async () => ({
    get: (name: string) => (request.cookies.has(name) ? { name, value: request.cookies.get(name) } : undefined),
  }),
}));

const database = freshDatabaseForActions();

let nextClient = 1;
beforeEach(() => {
  // Each sign-up from a client of its own, with nothing in its cookie jar.
  const incoming = { socket: { remoteAddress: `203.0.113.${nextClient++}` }, headers: { "user-agent": "vitest" } } as unknown as IncomingMessage;
  withClientAddress(0, () => {})(incoming, {} as never);
  request.headers = new Headers(incoming.headers as Record<string, string>);
  request.cookies.clear();
});

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

const uniqueEmail = (who: string) => `${who}-${crypto.randomUUID()}@example.com`;
const clientAddress = () => `10.9.${crypto.randomInt(1, 255)}.${crypto.randomInt(1, 255)}`;

/** What a sign-up left in the database, told apart by nothing but the row ids and the address. */
async function writtenFor(email: string, journeyId: string) {
  const requests = await database.db.signUpRequest.findMany({ where: { email } });
  const queued = await database.db.outboxMessage.findMany({ where: { topic: SIGNUP_REQUEST_TOPIC, dedupeKey: { in: requests.map((r) => `${SIGNUP_REQUEST_TOPIC}:${r.id}`) } } });
  const trail = await database.db.trailEvent.findMany({ where: { journeyId }, orderBy: { occurredAt: "asc" } });
  return {
    requests: requests.map((r) => ({ tokenHash: r.tokenHash, passwordHashed: r.passwordHash.startsWith("$argon2id$"), ttlHours: Math.round((r.expiresAt.getTime() - r.createdAt.getTime()) / 3_600_000) })),
    queued: queued.map((m) => ({ status: m.status, keys: Object.keys(m.payload as object).sort() })),
    trail: trail.map((e) => `${e.step}:${e.kind}`),
    emails: await database.db.emailMessage.count({ where: { to: email } }),
  };
}

async function worker() {
  await deliverDue(database.db, SIGNUP_REQUEST_TOPIC, (rows) => sendSignUpEmails(database.db, rows));
}

describe("signing up", () => {
  it("answers alike whether or not the email has an account; the owner of a taken one is emailed instead, and no second account is made", async () => {
    const { signUpAction } = await import("@/app/(public)/signup/actions");
    const asked = async (email: string) => {
      const journeyId = crypto.randomUUID();
      const started = performance.now();
      const answer = await signUpAction(IDLE, form({ journeyId, name: "Someone Typing", email, password: "a-long-enough-password" }));
      return { ms: performance.now() - started, answer, written: await writtenFor(email, journeyId) };
    };
    const rounds = 5;
    const timings: Record<"taken" | "free", number[]> = { taken: [], free: [] };
    const pairs: { taken: string; free: string; owner: string }[] = [];
    for (let i = 0; i < rounds; i++) {
      const taken = uniqueEmail("owner");
      const owner = await database.db.user.create({ data: { name: "Olga Owner", email: taken, role: "CUSTOMER", passwordHash: await hashPassword("the-owners-password") } });
      const free = uniqueEmail("newcomer");
      pairs.push({ taken, free, owner: owner.id });
      // Alternating which goes first, so warming up favours neither.
      const [first, second] = i % 2 === 0 ? [taken, free] : [free, taken];
      const one = await asked(first);
      const other = await asked(second);
      const [toTaken, toFree] = first === taken ? [one, other] : [other, one];
      timings.taken.push(toTaken.ms);
      timings.free.push(toFree.ms);
      expect(toTaken.answer).toEqual({ status: "ok", message: expect.stringMatching(/^Check your email/) });
      expect({ ...toTaken, ms: 0 }).toEqual({ ...toFree, ms: 0 });
      expect(toFree.written).toEqual({ requests: [{ tokenHash: null, passwordHashed: true, ttlHours: 24 }], queued: [{ status: "PENDING", keys: ["baseUrl", "requestId"] }], trail: ["details:VIEWED", "details:COMPLETED"], emails: 0 });
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)].toFixed(1);
    console.log(`[figures] sign-up answered in ${median(timings.taken)} ms (address taken) vs ${median(timings.free)} ms (address free), median of ${rounds}`);
    const [{ taken, free, owner }] = pairs;

    await worker();
    // The owner is told, with the ways into their account; nothing of theirs changed.
    const [notice, ...more] = await database.db.emailMessage.findMany({ where: { to: taken } });
    expect(more).toEqual([]);
    expect(notice).toMatchObject({ userId: owner, subject: "Someone tried to create a Waymark account with your email" });
    expect(notice.text).toContain("/signin");
    expect(notice.text).toContain("/forgot-password");
    expect(notice.text).not.toContain("/signup/confirm/");
    expect(await database.db.user.count({ where: { email: taken } })).toBe(1);
    expect((await authenticate(database.db, taken, "the-owners-password", { clientAddress: clientAddress(), userAgent: null })).ok).toBe(true);
    expect((await authenticate(database.db, taken, "a-long-enough-password", { clientAddress: clientAddress(), userAgent: null })).ok).toBe(false);
    expect(await database.db.signUpRequest.count({ where: { email: taken } })).toBe(0);
    // The free address gets the link that finishes the sign-up; no account exists before it is used.
    const [invitation] = await database.db.emailMessage.findMany({ where: { to: free } });
    expect(invitation).toMatchObject({ subject: "Finish creating your Waymark account", text: expect.stringMatching(/\/signup\/confirm\/[A-Za-z0-9_-]{43}\n/) });
    expect(await database.db.user.count({ where: { email: free } })).toBe(0);

    // A retried delivery sends nothing twice.
    await database.db.outboxMessage.updateMany({ where: { topic: SIGNUP_REQUEST_TOPIC }, data: { status: "PENDING" } });
    await worker();
    expect(await database.db.emailMessage.count({ where: { to: { in: [taken, free] } } })).toBe(2);
  }, 90_000); // 10 sign-ups' password hashes on a busy machine

  it("creates the account from the emailed link with the password chosen at sign-up, once, and completes the journey under it", async () => {
    const { signUpAction } = await import("@/app/(public)/signup/actions");
    const { confirmSignUpAction } = await import("@/app/(public)/signup/confirm/actions");
    const email = uniqueEmail("nora");
    const journeyId = crypto.randomUUID();
    await signUpAction(IDLE, form({ journeyId, name: "Nora New", email, password: "a-long-enough-password" }));
    await worker();
    const { text } = await database.db.emailMessage.findFirstOrThrow({ where: { to: email } });
    const token = /\/signup\/confirm\/([A-Za-z0-9_-]+)/.exec(text)![1];

    // The link opened in the same tab: its token is the cookie the link's route leaves.
    request.cookies.set("waymark_signup_token", token);
    const wrong = await confirmSignUpAction(IDLE, form({ journeyId, password: "not-the-chosen-one" }));
    expect(wrong).toMatchObject({ status: "error", fieldErrors: { password: "That is not the password you chose when you signed up." } });
    expect(await database.db.user.count({ where: { email } })).toBe(0);

    expect(await confirmSignUpAction(IDLE, form({ journeyId, password: "a-long-enough-password" }))).toEqual({ status: "ok", message: "Your account is ready. Signing you in…" });
    const user = await database.db.user.findUniqueOrThrow({ where: { email } });
    expect(user).toMatchObject({ name: "Nora New", role: "CUSTOMER", status: "ACTIVE" });
    expect((await authenticate(database.db, email, "a-long-enough-password", { clientAddress: clientAddress(), userAgent: null })).ok).toBe(true);
    const trail = await database.db.trailEvent.findMany({ where: { journeyId }, orderBy: { occurredAt: "asc" } });
    // No browser records here (no analytics answer): the link's page is seen with its refusal, and done with the account.
    expect(trail.map((e) => `${e.step}:${e.kind}:${e.errorCode ?? "-"}`)).toEqual([
      "details:VIEWED:-",
      "details:COMPLETED:-",
      "email:VIEWED:-",
      "email:ERROR:wrong_password",
      "email:COMPLETED:-",
      "account:VIEWED:-",
      "account:COMPLETED:-",
    ]);
    expect(await database.db.journey.findUniqueOrThrow({ where: { id: journeyId } })).toMatchObject({ userId: user.id, outcome: "COMPLETED" });

    // The link works once.
    request.cookies.set("waymark_signup_token", token);
    expect(await confirmSignUpAction(IDLE, form({ password: "a-long-enough-password" }))).toMatchObject({ status: "error", message: expect.stringMatching(/expired or was already used/) });
    expect(await database.db.user.count({ where: { email } })).toBe(1);
  });

  it("checks five guesses of the chosen password per link, however many arrive at once, then refuses even the right one for a while (each guess is a password hash)", async () => {
    const { signUpAction } = await import("@/app/(public)/signup/actions");
    const { confirmSignUpAction } = await import("@/app/(public)/signup/confirm/actions");
    const email = uniqueEmail("gus");
    const journeyId = crypto.randomUUID();
    await signUpAction(IDLE, form({ journeyId, name: "Gus Guesser", email, password: "a-long-enough-password" }));
    await worker();
    const { text } = await database.db.emailMessage.findFirstOrThrow({ where: { to: email } });
    request.cookies.set("waymark_signup_token", /\/signup\/confirm\/([A-Za-z0-9_-]+)/.exec(text)![1]);

    const guesses = await Promise.all(Array.from({ length: 20 }, (_, i) => confirmSignUpAction(IDLE, form({ journeyId, password: `guess-number-${i}` }))));
    const checked = guesses.filter((answer) => answer.fieldErrors?.password === "That is not the password you chose when you signed up.");
    expect(checked).toHaveLength(5);
    const throttled = "Too many attempts. For your security, try again in 15 minutes, or sign up again to choose a new password.";
    expect(guesses.filter((answer) => answer.message === throttled)).toHaveLength(15);
    expect(await confirmSignUpAction(IDLE, form({ journeyId, password: "a-long-enough-password" }))).toEqual({ status: "error", message: throttled });
    expect(await database.db.user.count({ where: { email } })).toBe(0);
  });

  it("starts the account's analytics setting as the visitor's answer to the banner: on only for one who accepted", async () => {
    const { signUpAction } = await import("@/app/(public)/signup/actions");
    const { confirmSignUpAction } = await import("@/app/(public)/signup/confirm/actions");
    const settingAfter = async (answer: string | null) => {
      request.cookies.clear();
      if (answer) request.cookies.set("waymark_analytics", answer);
      const email = uniqueEmail(`consent-${answer ?? "unasked"}`);
      const journeyId = crypto.randomUUID();
      await signUpAction(IDLE, form({ journeyId, name: "Cleo Consent", email, password: "a-long-enough-password" }));
      await worker();
      const { text } = await database.db.emailMessage.findFirstOrThrow({ where: { to: email } });
      request.cookies.set("waymark_signup_token", /\/signup\/confirm\/([A-Za-z0-9_-]+)/.exec(text)![1]);
      expect(await confirmSignUpAction(IDLE, form({ journeyId, password: "a-long-enough-password" }))).toMatchObject({ status: "ok" });
      const user = await database.db.user.findUniqueOrThrow({ where: { email }, select: { analyticsConsent: true } });
      return user.analyticsConsent;
    };
    expect(await settingAfter("granted")).toBe(true);
    expect(await settingAfter("denied")).toBe(false);
    expect(await settingAfter(null)).toBe(false);
  });
});
