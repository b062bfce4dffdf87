import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { IDLE, type FormState } from "./form-state";

// The real principal module, on a signed-in session chosen per test (next-auth's cookie decoding
// and the session table are the only parts stood in for).
const session = vi.hoisted(() => ({ user: null as null | { id: string; role: Principal["role"] } }));
vi.mock("@/lib/auth/session-cookie", () => ({ sessionIdFromCookie: async () => (session.user ? "session-1" : null) }));
vi.mock("@/lib/auth/options", () => ({ authOptions: {} }));
vi.mock("@/lib/accounts/sessions", () => ({
  findLiveSession: async () => (session.user ? { user: { ...session.user, name: "Ada", email: "ada@example.com", analyticsId: "a-1", analyticsConsent: true } } : null),
}));
const steps = vi.hoisted(() => [] as unknown[]);
vi.mock("@/lib/db/client", () => ({ db: () => ({ $transaction: async (run: (tx: unknown) => unknown) => run({}) }) }));
vi.mock("@/lib/trail/actor", () => ({ trailActor: async (principal: Principal | null) => ({ userId: principal?.userId ?? null, distinctId: "d-1", deviceClass: "DESKTOP", consent: true }) }));
// The open attempt is looked up in the database (tests/integration/trail.test.ts); here it is whatever the test says.
vi.mock("@/lib/trail/server", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/trail/server")>();
  return {
    ...original,
    recordStep: async (_tx: unknown, _actor: unknown, step: unknown) => void steps.push(step),
    attemptIdFor: async (_db: unknown, _actor: unknown, _type: unknown, carried: unknown) => original.carriedJourneyId(carried) ?? openAttempt.id ?? crypto.randomUUID(),
  };
});
const openAttempt = vi.hoisted(() => ({ id: null as string | null }));

const { boundFormAction, boundSubmitAction, formAction, UNREADABLE_FORM } = await import("./action-client");
const { UNUSABLE_CHARACTER } = await import("./input");

const form = (entries: Record<string, string> = {}) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(entries)) data.append(k, v);
  return data;
};
const JOURNEY = "0b8f9d6e-3c1a-4f6e-9d2b-7a5c4e3f2a10";

/** What Next.js does with a thrown redirect() or notFound(): the digest names where the visitor goes. */
async function navigation(run: Promise<unknown>): Promise<string> {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  const digest = (error as { digest?: string } | null)?.digest ?? "";
  if (digest.startsWith("NEXT_REDIRECT")) return `redirect ${digest.split(";")[2]}`;
  if (digest.startsWith("NEXT_HTTP_ERROR_FALLBACK;404")) return "404";
  return `no navigation (${String(error)})`;
}

const handler = vi.fn(async ({ input }: { input: unknown }): Promise<FormState> => ({ status: "ok", message: JSON.stringify(input) }));
const profile = formAction(
  { name: "test-profile", who: "customer", signIn: "/account/profile", input: z.object({ name: z.string().trim().min(1, "Enter your name.") }), trail: { type: "profile_update", step: "saved" } },
  handler,
);

beforeEach(() => {
  session.user = { id: "customer-1", role: "CUSTOMER" };
  steps.length = 0;
  openAttempt.id = null;
  handler.mockClear();
});

describe("the action client", () => {
  it("gives the handler the parsed input, the principal and the caller's journey", async () => {
    const seen = vi.fn(async (): Promise<FormState> => ({ status: "ok" }));
    const action = formAction({ name: "test", who: "customer", signIn: "/", input: z.object({ name: z.string().trim() }) }, seen);
    expect(await action(IDLE, form({ name: "  Ada ", journeyId: JOURNEY }))).toEqual({ status: "ok" });
    expect(seen).toHaveBeenCalledWith(expect.objectContaining({ input: { name: "Ada" }, principal: expect.objectContaining({ userId: "customer-1", role: "CUSTOMER" }), trail: expect.objectContaining({ journeyId: JOURNEY }) }));
  });

  it("continues the customer's open attempt when the form carries no journey id (sent before the page's scripts ran), and starts one only without it", async () => {
    openAttempt.id = JOURNEY;
    await profile(IDLE, form({ name: " " }));
    openAttempt.id = null;
    await profile(IDLE, form({ name: " " }));
    expect(steps).toEqual([expect.objectContaining({ journeyId: JOURNEY }), expect.objectContaining({ journeyId: expect.not.stringMatching(JOURNEY) })]);
  });

  it("sends a signed-out caller of a customer action to sign in, and back to the form afterwards", async () => {
    session.user = null;
    expect(await navigation(profile(IDLE, form({ name: "Ada" })))).toBe(`redirect /signin?callbackUrl=${encodeURIComponent("/account/profile")}`);
    expect(handler).not.toHaveBeenCalled();
  });

  it("answers a signed-out caller with the action's message when it has one", async () => {
    session.user = null;
    const action = formAction({ name: "test", who: "customer", signedOut: "Sign in first." }, handler);
    expect(await action(IDLE, form())).toEqual({ status: "error", message: "Sign in first." });
    expect(handler).not.toHaveBeenCalled();
  });

  it("keeps each role to its own actions: staff go to their own home, customers (and the signed-out) get a 404 for staff actions", async () => {
    session.user = { id: "agent-1", role: "AGENT" };
    expect(await navigation(profile(IDLE, form({ name: "Ada" })))).toBe("redirect /agent");
    const agentOnly = boundFormAction({ name: "test-agent", who: "agent" }, handler);
    session.user = { id: "analyst-1", role: "ANALYST" };
    expect(await navigation(agentOnly("CASE-1", IDLE, form()))).toBe("404");
    session.user = { id: "customer-1", role: "CUSTOMER" };
    expect(await navigation(agentOnly("CASE-1", IDLE, form()))).toBe("404");
    session.user = null;
    expect(await navigation(agentOnly("CASE-1", IDLE, form()))).toBe("404");
    expect(handler).not.toHaveBeenCalled();
    session.user = { id: "agent-1", role: "AGENT" };
    expect(await agentOnly("CASE-1", IDLE, form())).toMatchObject({ status: "ok" });
  });

  it("answers input that does not parse with a message per field, keeps what was typed and records the step as failed", async () => {
    expect(await profile(IDLE, form({ name: " ", journeyId: JOURNEY }))).toEqual({ status: "error", message: "Please correct the highlighted fields.", fieldErrors: { name: "Enter your name." }, values: { name: " ", journeyId: JOURNEY } });
    expect(handler).not.toHaveBeenCalled();
    expect(steps).toEqual([expect.objectContaining({ journeyId: JOURNEY, type: "profile_update", step: "saved", action: "failed", errorCode: "validation_error" })]);
  });

  it("turns a failure in the domain into one calm message with a reference, logged with its detail on the server only", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const failing = formAction({ name: "test-failing", who: "customer", signIn: "/", trail: { type: "profile_update", step: "saved" } }, async () => {
      throw new Error('relation "User" does not exist');
    });
    const state = await failing(IDLE, form({ journeyId: JOURNEY }));
    const reference = /\(reference ([0-9a-f]{8})\)\.$/.exec(state.message ?? "")?.[1];
    expect(state).toEqual({ status: "error", message: `Something went wrong on our side and nothing was changed. Please try again in a moment (reference ${reference}).` });
    expect(state.message).not.toContain("relation");
    expect(logged).toHaveBeenCalledWith(`[action:test-failing] failed (ref ${reference})`, expect.objectContaining({ message: 'relation "User" does not exist' }));
    expect(steps).toEqual([expect.objectContaining({ journeyId: JOURNEY, action: "failed", errorCode: "unexpected_error" })]);
    logged.mockRestore();
  });

  // (FormData itself turns a lone surrogate into U+FFFD, as a browser's form encoding does.)
  it("refuses, without running anything, what is no form of ours: no form, wrong types, extra arguments", async () => {
    const call = profile as (...args: unknown[]) => Promise<FormState>;
    for (const args of [[], [IDLE], [IDLE, null], [IDLE, { get: () => "x" }], ["WM-1", IDLE, form()], [IDLE, form({ "na\u0000me": "a" })], [IDLE, form({ $ACTION_REF_1: "\u0000" })]]) {
      expect(await call(...args), JSON.stringify(args)).toEqual(UNREADABLE_FORM);
    }
    expect(handler).not.toHaveBeenCalled();
  });

  it("marks a field holding a NUL byte (pasted in) and keeps everything typed, without running anything", async () => {
    const address = boundFormAction({ name: "test-address", who: "customer", signIn: "/", input: z.object({ line1: z.string() }) }, handler);
    const typed = { city: "Leeds", line1: "1 High\u0000 Street" };
    const answer = { status: "error", message: "Please correct the highlighted fields.", fieldErrors: { line1: UNUSABLE_CHARACTER }, values: typed };
    expect(await profile(IDLE, form({ name: "Ada\u0000" }))).toEqual({ ...answer, fieldErrors: { name: UNUSABLE_CHARACTER }, values: { name: "Ada\u0000" } });
    expect(await address("address-1", IDLE, form(typed))).toEqual(answer);
    expect(handler).not.toHaveBeenCalled();
  });

  // A tester's seven refused password submits were six failures in the trail: the unreadable one was missing.
  it("records every form it refuses for what it holds as its step's failure, in the attempt the form carries", async () => {
    const withJson = formAction({ name: "test-json", who: "customer", signIn: "/", input: z.object({ lines: z.array(z.string()) }), read: ({ formData }) => ({ lines: JSON.parse(String(formData.get("lines"))) as unknown }), trail: { type: "return", step: "confirmation" } }, handler);
    expect(await profile(IDLE, form({ name: "a\u0000", journeyId: JOURNEY }))).toMatchObject({ fieldErrors: { name: UNUSABLE_CHARACTER } });
    expect(await withJson(IDLE, form({ lines: '["fine\\u0000"]', journeyId: JOURNEY }))).toEqual(UNREADABLE_FORM);
    expect(handler).not.toHaveBeenCalled();
    expect(steps).toEqual([
      expect.objectContaining({ journeyId: JOURNEY, type: "profile_update", step: "saved", action: "failed", errorCode: "validation_error" }),
      expect.objectContaining({ journeyId: JOURNEY, type: "return", step: "confirmation", action: "failed", errorCode: "unreadable_form" }),
    ]);
  });

  it("checks a bound action's id: text of a sensible length, nothing else", async () => {
    const bound = boundFormAction({ name: "test-bound", who: "customer", signIn: ({ id }) => `/orders/${id}/cancel` }, async ({ id }) => ({ status: "ok", message: id }));
    const call = bound as (...args: unknown[]) => Promise<FormState>;
    expect(await call("WM-100001", IDLE, form())).toEqual({ status: "ok", message: "WM-100001" });
    for (const id of [{ toString: null }, 42, null, "WM-1\u0000", "WM-\uD800", "x".repeat(201)]) expect(await call(id, IDLE, form())).toEqual(UNREADABLE_FORM);
    session.user = null;
    expect(await navigation(bound("WM-100001", IDLE, form()))).toBe(`redirect /signin?callbackUrl=${encodeURIComponent("/orders/WM-100001/cancel")}`);
  });

  it("keeps the arity a form calls with, so a bound id is never taken for the form", () => {
    expect(profile.length).toBe(2);
    expect(boundFormAction({ name: "t", who: "agent" }, handler).length).toBe(3);
    expect(boundSubmitAction({ name: "t", who: "agent" }, handler).length).toBe(1);
  });
});
