// The forms an attacker would repeat to flood inboxes or queues (sign-up, email change, "talk to a
// person", callbacks) pay from their budgets before doing anything. The real server actions run
// against the real PostgreSQL; only Next's request context (headers, cookies, the signed-in
// principal, cache revalidation) is provided by the test.
import type { IncomingMessage } from "node:http";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import type { Principal } from "@/lib/auth/principal";
import { BUDGETS } from "@/lib/auth/rate-limit";
import { withClientAddress } from "@/lib/http/client-address";
import { IDLE } from "@/lib/http/form-state";
import { freshDatabaseForActions } from "../support/db";

const request = vi.hoisted(() => ({ headers: new Headers(), principal: null as Principal | null }));
vi.mock("next/headers", () => ({ headers: async () => request.headers, cookies: async () => ({ get: () => undefined }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, refresh: () => {} }));
vi.mock("@/lib/auth/principal", () => ({
  currentPrincipal: async () => request.principal,
  requireCustomer: async () => request.principal ?? Promise.reject(new Error("not signed in")),
}));

const database = freshDatabaseForActions();

let nextClient = 1;
/** The headers our front writes for a request from `address` (a new client per test unless given). */
function requestFrom(address = `198.51.100.${nextClient++}`) {
  const incoming = { socket: { remoteAddress: address }, headers: { "user-agent": "vitest" } } as unknown as IncomingMessage;
  withClientAddress(0, () => {})(incoming, {} as never);
  request.headers = new Headers(incoming.headers as Record<string, string>);
}

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

async function signedInCustomer(password = "the-current-password") {
  const user = await database.db.user.create({ data: { name: "Flo Flooder", email: `${crypto.randomUUID()}@example.com`, phone: "+447700900461", role: "CUSTOMER", passwordHash: await hashPassword(password) } });
  const session = await database.db.authSession.create({ data: { userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) } });
  request.principal = { userId: user.id, sessionId: session.id, role: "CUSTOMER", name: user.name, email: user.email, analyticsId: user.analyticsId, analyticsConsent: true, timeZone: null, unreadMessages: 0 };
  return user;
}

beforeEach(() => {
  request.principal = null;
  requestFrom();
});

describe("sign-up", () => {
  it("takes at most the client's budget of sign-ups, then says how long to wait", async () => {
    const { signUpAction } = await import("@/app/(public)/signup/actions");
    const allowed = BUDGETS["signup:client"].points;
    const emails = Array.from({ length: allowed + 1 }, (_, i) => `mass-${i}-${crypto.randomUUID()}@example.com`);
    const answers = [];
    for (const email of emails) answers.push(await signUpAction(IDLE, form({ name: "Mass Signup", email, password: "a-long-enough-password" })));
    expect(answers.filter((a) => a.status === "ok")).toHaveLength(allowed);
    expect(answers.at(-1)).toMatchObject({ status: "error", message: expect.stringMatching(/^Too many attempts\. For your security, try again in \d+ minutes, or call us/) });
    expect(await database.db.signUpRequest.count({ where: { email: { in: emails } } })).toBe(allowed);

    requestFrom(); // another client is not affected
    expect((await signUpAction(IDLE, form({ name: "Someone Else", email: `else-${crypto.randomUUID()}@example.com`, password: "a-long-enough-password" }))).status).toBe("ok");
  }, 90_000); // 21 password hashes on a busy machine

  it("cannot flood one inbox from many clients", async () => {
    const { signUpAction } = await import("@/app/(public)/signup/actions");
    const victim = `victim-${crypto.randomUUID()}@example.com`;
    const allowed = BUDGETS["signup:address"].points;
    for (let i = 0; i <= allowed; i++) {
      requestFrom();
      await signUpAction(IDLE, form({ name: "Mass Signup", email: victim, password: "a-long-enough-password" }));
    }
    expect(await database.db.signUpRequest.count({ where: { email: victim } })).toBe(allowed);
  }, 60_000);
});

describe("changing the sign-in email", () => {
  it("sends at most the account's budget of confirmation emails", async () => {
    const { requestEmailChangeAction } = await import("@/app/account/(customer)/email/actions");
    await signedInCustomer();
    const allowed = BUDGETS["email-change:account"].points;
    const answers = [];
    for (let i = 0; i <= allowed; i++) {
      requestFrom(); // from a new client each time: the account's budget still holds
      answers.push(await requestEmailChangeAction(IDLE, form({ newEmail: `victim-${i}-${crypto.randomUUID()}@example.com`, currentPassword: "the-current-password" })));
    }
    expect(answers.filter((a) => a.status === "ok")).toHaveLength(allowed);
    expect(answers.at(-1)).toMatchObject({ status: "error", message: expect.stringMatching(/^Too many attempts\. For your security, try again in \d+ minutes\.$/) });
  }, 60_000);

  it("cannot flood one inbox from many accounts", async () => {
    const { requestEmailChangeAction } = await import("@/app/account/(customer)/email/actions");
    const victim = `victim-${crypto.randomUUID()}@example.com`;
    const allowed = BUDGETS["email-change:address"].points;
    for (let i = 0; i <= allowed; i++) {
      await signedInCustomer();
      requestFrom();
      await requestEmailChangeAction(IDLE, form({ newEmail: victim, currentPassword: "the-current-password" }));
    }
    expect(await database.db.emailMessage.count({ where: { to: victim } })).toBe(allowed);
  }, 60_000);
});

describe("contact forms", () => {
  it("opens at most the account's budget of cases through 'talk to a person' and callbacks together", async () => {
    const { respondToHelpAction, talkToPersonAction } = await import("@/lib/cases/customer-actions");
    const customer = await signedInCustomer();
    const allowed = BUDGETS["contact:account"].points;
    const answers = [];
    for (let i = 0; i <= allowed; i++) {
      requestFrom();
      answers.push(
        i % 2 === 0
          ? await talkToPersonAction(IDLE, form({}))
          : await respondToHelpAction(IDLE, form({ journeyId: crypto.randomUUID(), journeyType: "order_tracking", step: "detail", intervention: "late_order", response: "callback" })),
      );
    }
    expect(answers.filter((a) => a.status === "ok")).toHaveLength(allowed);
    expect(answers.at(-1)).toMatchObject({ status: "error", message: expect.stringMatching(/^Too many attempts\. .*call us on \+44 1234 567890\.$/) });
    // One call back per task, whichever attempt asks again (each is told the call already booked);
    // "talk to a person" from no task, asked again, joined its waiting case.
    expect(await database.db.case.count({ where: { userId: customer.id } })).toBe(2);
  });
});
