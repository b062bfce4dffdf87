// Account takeover by guessing or by flooding, tried as an attacker would: over HTTP, through the
// portal's front (which derives the client's address from the socket) into next-auth's real
// credentials check, against the real PostgreSQL.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD_RESET_TOPIC, requestPasswordReset, resetPassword, sendPasswordResetLinks } from "@/lib/accounts/accounts";
import { KNOWN_DEVICE_COOKIE, knownDeviceToken } from "@/lib/auth/known-device";
import { hashPassword } from "@/lib/auth/password";
import { BUDGETS } from "@/lib/auth/rate-limit";
import { signInErrorMessage } from "@/lib/auth/sign-in-errors";
import { withClientAddress } from "@/lib/http/client-address";
import { deliverDue } from "@/lib/outbox/outbox";
import { freshDatabase, type FreshDatabase } from "../support/db";

const SECRET = "account-takeover-test-secret-7d2f9b4e1a6c3e8f";
let database: FreshDatabase;
let baseUrl: string;
let server: http.Server;
type Authorize = (credentials: Record<string, string>, request: { headers: http.IncomingHttpHeaders }) => Promise<{ id: string } | null>;

beforeAll(async () => {
  database = await freshDatabase();
  // next-auth's options use the process-wide client, as in the portal.
  process.env.DATABASE_URL = database.url;
  process.env.NEXTAUTH_SECRET = SECRET;
  const { authOptions } = await import("@/lib/auth/options");
  const authorize = (authOptions.providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize;
  // The sign-in endpoint as next-auth runs it: authorize() with the request's headers; a thrown error is the form's `error`.
  server = http.createServer(
    withClientAddress(0, (request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        authorize(JSON.parse(body) as Record<string, string>, { headers: request.headers }).then(
          (user) => response.writeHead(user ? 200 : 401, { "content-type": "application/json" }).end(JSON.stringify(user ? { signedIn: user.id } : { error: "CredentialsSignin" })),
          (e: Error) => response.writeHead(429, { "content-type": "application/json" }).end(JSON.stringify({ error: e.message })),
        );
      });
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  const cached = globalThis as unknown as { waymarkDb?: { $disconnect(): Promise<void> } };
  await cached.waymarkDb?.$disconnect();
  delete cached.waymarkDb;
  await database.drop();
});

async function createAccount(password: string) {
  const email = `owner-${crypto.randomUUID()}@example.com`;
  const user = await database.db.user.create({ data: { name: "Olive Owner", email, passwordHash: await hashPassword(password), role: "CUSTOMER" } });
  return { ...user, email };
}

/**
 * Posts credentials as a browser on the machine `from` would: each test's client gets an address
 * of its own in 127.0.0.0/8, so budgets spent by one test's "attacker" are not another's.
 */
function signIn(email: string, password: string, { from, forwardedFor, cookie }: { from: string; forwardedFor?: string; cookie?: string }) {
  return new Promise<{ status: number; signedIn?: string; error?: string }>((resolve, reject) => {
    const request = http.request(`${baseUrl}/api/auth/callback/credentials`, {
      method: "POST",
      localAddress: from,
      headers: { "content-type": "application/json", ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}), ...(cookie ? { cookie } : {}) },
    });
    request.on("response", (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, ...JSON.parse(body) }));
    });
    request.on("error", reject);
    request.end(JSON.stringify({ email, password }));
  });
}

describe("guessing a password", () => {
  it("200 concurrent guesses from 'different' addresses, the right password late among them, open no session", async () => {
    const owner = await createAccount("the-owners-real-password");
    const attempts = Array.from({ length: 200 }, (_, i) => ({
      password: i === 150 ? "the-owners-real-password" : `guess-${i}`,
      // A client writes whatever it likes here; with no trusted proxy it must not count.
      forwardedFor: `198.51.${Math.floor(i / 250)}.${i % 250}`,
    }));
    const answers = await Promise.all(attempts.map((a) => signIn(owner.email, a.password, { from: "127.0.0.10", forwardedFor: a.forwardedFor })));

    expect(answers.filter((a) => a.status === 200)).toEqual([]);
    expect(await database.db.authSession.count({ where: { userId: owner.id } })).toBe(0);
    // Only the account's budget of guesses was checked at all; every other one was refused unchecked.
    const checked = answers.filter((a) => a.status === 401).length;
    expect(checked).toBe(BUDGETS["signin:account"].points);
    expect(answers[150].status).toBe(429);
    expect(signInErrorMessage(answers[150].error)).toBe("Too many attempts. For your security, try again in 15 minutes, or reset your password.");
    console.log(`[figures] 200 concurrent guesses: ${checked} checked, ${200 - checked} refused before checking, 0 sessions`);
  }, 60_000);

  it("lets the owner back in through a password reset, which clears the account's lock", async () => {
    const owner = await createAccount("the-owners-real-password");
    for (let i = 0; i < BUDGETS["signin:account"].points; i++) await signIn(owner.email, `guess-${i}`, { from: "127.0.0.11" });
    // Locked for everyone, the owner on their own machine included.
    const locked = await signIn(owner.email, "the-owners-real-password", { from: "127.0.0.12" });
    expect(locked.status).toBe(429);

    expect(await requestPasswordReset(database.db, owner.email, "http://portal.test", "192.0.2.1")).toEqual({ ok: true });
    await deliverDue(database.db, PASSWORD_RESET_TOPIC, (rows) => sendPasswordResetLinks(database.db, rows));
    const [email] = await database.db.emailMessage.findMany({ where: { to: owner.email } });
    const token = /\/reset-password\/([A-Za-z0-9_-]+)/.exec(email.text)![1];
    expect(await resetPassword(database.db, token, "a-new-password-after-attack")).toMatchObject({ ok: true });

    const answer = await signIn(owner.email, "a-new-password-after-attack", { from: "127.0.0.12" });
    expect(answer).toMatchObject({ status: 200, signedIn: owner.id });
  });

  it("locks the account in every browser but one its owner signed in on, which has a budget of its own", async () => {
    const owner = await createAccount("the-owners-real-password");
    // The cookie the sign-in endpoint gave the owner's browser last time (app/api/auth/[...nextauth]/route.ts).
    const ownBrowser = `${KNOWN_DEVICE_COOKIE}=${knownDeviceToken(SECRET, owner.email)}`;
    const attackers = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(owner.email, `guess-${i}`, { from: "127.0.0.15" })));
    expect(attackers.filter((a) => a.status === 401)).toHaveLength(BUDGETS["signin:account"].points);
    expect((await signIn(owner.email, "the-owners-real-password", { from: "127.0.0.16" })).status).toBe(429);
    // Not a cookie for this account: a browser like any other.
    const someoneElses = `${KNOWN_DEVICE_COOKIE}=${knownDeviceToken(SECRET, "attacker@example.com")}`;
    expect((await signIn(owner.email, "the-owners-real-password", { from: "127.0.0.16", cookie: someoneElses })).status).toBe(429);

    expect(await signIn(owner.email, "the-owners-real-password", { from: "127.0.0.16", cookie: ownBrowser })).toMatchObject({ status: 200, signedIn: owner.id });
    // The known browser is no way around the limit: its own wrong passwords run out too (and its right one then waits).
    const typos = [];
    for (let i = 0; i <= BUDGETS["signin:device"].points; i++) typos.push((await signIn(owner.email, `typo-${i}`, { from: "127.0.0.16", cookie: ownBrowser })).status);
    expect(typos).toEqual([...Array(BUDGETS["signin:device"].points).fill(401), 429]);
    expect((await signIn(owner.email, "the-owners-real-password", { from: "127.0.0.16", cookie: ownBrowser })).status).toBe(429);
  });

  it("limits one client across many accounts, by its socket, not by the X-Forwarded-For it sends", async () => {
    const allowed = BUDGETS["signin:client"].points;
    const statuses: number[] = [];
    for (let i = 0; i <= allowed; i++) statuses.push((await signIn(`nobody-${i}-${crypto.randomUUID()}@example.com`, "guess", { from: "127.0.0.13", forwardedFor: `203.0.113.${i}` })).status);
    expect(statuses).toEqual([...Array(allowed).fill(401), 429]);
    // Another client is not affected.
    expect((await signIn(`nobody-${crypto.randomUUID()}@example.com`, "guess", { from: "127.0.0.14" })).status).toBe(401);
  });

  it("keeps the owner's own browser open when others behind the same address used up its budget", async () => {
    const owner = await createAccount("the-owners-real-password");
    const ownBrowser = `${KNOWN_DEVICE_COOKIE}=${knownDeviceToken(SECRET, owner.email)}`;
    // Colleagues behind the office's NAT (or someone guessing there) spend the address's whole budget.
    for (let i = 0; i < BUDGETS["signin:client"].points; i++) await signIn(`colleague-${i}-${crypto.randomUUID()}@example.com`, "guess", { from: "127.0.0.17" });
    expect((await signIn(owner.email, "the-owners-real-password", { from: "127.0.0.17" })).status).toBe(429);
    expect((await signIn(owner.email, "the-owners-real-password", { from: "127.0.0.17", cookie: ownBrowser })).status).toBe(200);
    // The known browser speaks for its own account only: guessing another one from it pays the address's budget, used up.
    const other = await createAccount("another-password");
    expect((await signIn(other.email, "another-password", { from: "127.0.0.17", cookie: ownBrowser })).status).toBe(429);
  });
});

describe("asking for password resets", () => {
  it("queues at most the address's budget of emails for one inbox, however many clients ask at once", async () => {
    const owner = await createAccount("whatever-password");
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => requestPasswordReset(database.db, owner.email, "http://portal.test", `198.51.100.${i}`)));
    expect(answers.filter((a) => a.ok)).toHaveLength(BUDGETS["reset:address"].points);
    expect(answers.find((a) => !a.ok)).toMatchObject({ ok: false, retryAfterSeconds: expect.any(Number) });
    await deliverDue(database.db, PASSWORD_RESET_TOPIC, (rows) => sendPasswordResetLinks(database.db, rows));
    expect(await database.db.emailMessage.count({ where: { to: owner.email } })).toBe(BUDGETS["reset:address"].points);
  });

  it("limits one client asking for many addresses", async () => {
    const client = "192.0.2.77";
    const answers = [];
    for (let i = 0; i <= BUDGETS["reset:client"].points; i++) answers.push(await requestPasswordReset(database.db, `someone-${i}@example.com`, "http://portal.test", client));
    expect(answers.filter((a) => a.ok)).toHaveLength(BUDGETS["reset:client"].points);
    expect(answers.at(-1)!.ok).toBe(false);
  });

  it("does the same work whether or not the address has an account; only the queue's worker tells them apart", async () => {
    const rounds = 10;
    const owners = await Promise.all(Array.from({ length: rounds }, () => createAccount("whatever-password")));
    const nobodies = owners.map(() => `nobody-${crypto.randomUUID()}@example.com`);
    const before = await database.db.outboxMessage.count({ where: { topic: PASSWORD_RESET_TOPIC, status: "PENDING" } });
    const timings: Record<"existing" | "unknown", number[]> = { existing: [], unknown: [] };
    for (let i = 0; i < rounds; i++) {
      // Alternating which goes first, so warming up favours neither.
      const pair = [["existing", owners[i].email], ["unknown", nobodies[i]]] as const;
      for (const [kind, email] of i % 2 === 0 ? pair : [...pair].reverse()) {
        const started = performance.now();
        expect(await requestPasswordReset(database.db, email, "http://portal.test", `192.0.2.${100 + i}`)).toEqual({ ok: true });
        timings[kind].push(performance.now() - started);
      }
    }
    // Answered with one queued request each, and nothing else: no token, no email yet, for either.
    expect(await database.db.outboxMessage.count({ where: { topic: PASSWORD_RESET_TOPIC, status: "PENDING" } })).toBe(before + 2 * rounds);
    expect(await database.db.passwordResetToken.count({ where: { userId: { in: owners.map((o) => o.id) } } })).toBe(0);
    expect(await database.db.emailMessage.count({ where: { to: { in: [...owners.map((o) => o.email), ...nobodies] } } })).toBe(0);

    await deliverDue(database.db, PASSWORD_RESET_TOPIC, (rows) => sendPasswordResetLinks(database.db, rows));
    expect(await database.db.emailMessage.count({ where: { to: { in: owners.map((o) => o.email) } } })).toBe(rounds);
    expect(await database.db.emailMessage.count({ where: { to: { in: nobodies } } })).toBe(0);
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)].toFixed(1);
    console.log(`[figures] reset request answered in ${median(timings.existing)} ms (account exists) vs ${median(timings.unknown)} ms (no account), median of ${rounds}`);
  }, 60_000);
});
