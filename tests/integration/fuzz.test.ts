// Walks every route handler and every server action (found from the code: tests/support/fuzz.ts)
// with hostile values, as an anonymous visitor, a customer, an agent and an analyst, against the
// real PostgreSQL with the demo data. Asserts no 5xx, no unexpected error (thrown, or swallowed by
// the action client as "something went wrong"), and that nothing in the database changed, except in the
// acting account's own rows and in the logs of attempts (trail, rate limits, delivery records).
// Deterministic: a fixed seed for the corpus and the demo data.
import crypto from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import Stripe from "stripe";
import { beforeAll, expect, it, vi } from "vitest";
import type { Db } from "@/lib/db/client";
import { webhookHeaders } from "@/lib/integrations/backoffice-signature";
import { signCarrierPayload } from "@/lib/returns/carrier-webhook";
import { freshDatabaseForActions } from "../support/db";
import { fieldNames, hostileJson, hostileStrings, routeHandlerFiles, serverActionFiles, type HostileValue } from "../support/fuzz";

const SEED = 20261203;

const session = vi.hoisted(() => ({ current: null as { sessionId: string } | null }));
// What Next.js's server sets up before loading the app (next/dist/server/node-environment).
vi.hoisted(() => {
  const { AsyncLocalStorage } = process.getBuiltinModule("node:async_hooks");
  (globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage = AsyncLocalStorage;
});
// The signed-in account comes from the session row, looked up like on every request; only the decoding of next-auth's cookie is skipped.
vi.mock("@/lib/auth/session-cookie", () => ({ sessionIdFromCookie: async () => session.current?.sessionId ?? null }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined, refresh: () => undefined }));
// Background delivery would change the outbox while the database is being compared.
vi.mock("@/lib/jobs/kick", async (importOriginal) => ({ ...(await importOriginal<Record<string, unknown>>()), kickOutbox: () => undefined }));

const ENV = {
  NEXTAUTH_SECRET: "fuzz-only-secret-2b7d9a1e6f3c8b5d2a7e9c4f1b6d0f4c",
  NEXTAUTH_URL: "http://127.0.0.1:3999",
  STRIPE_SECRET_KEY: "sk_test_fuzz",
  // Nothing listens there: a call that reached Stripe would fail fast, and is not what this test is about.
  STRIPE_API_BASE: "http://127.0.0.1:9",
  STRIPE_WEBHOOK_SECRET: "whsec_fuzz_only",
  CARRIER_WEBHOOK_SECRET: "fuzz-carrier-secret",
  BACKOFFICE_INBOUND_SECRET: "whsec_ZnV6ei1vbmx5LWJhY2stb2ZmaWNlLWluYm91bmQ=",
  SOCIAL_INBOUND_SECRET: "whsec_ZnV6ei1vbmx5LXNvY2lhbC1pbmJvdW5k",
  UPLOADS_DIR: path.resolve(".data/fuzz-uploads"),
  INTERVENTION_HOLDOUT_PERCENT: "0",
};

// Next.js's own request scope, so headers(), cookies() and next-auth's route handler work as in a request.
const nodeRequire = createRequire(import.meta.url);
const { workAsyncStorage } = nodeRequire("next/dist/server/app-render/work-async-storage.external.js");
const { workUnitAsyncStorage } = nodeRequire("next/dist/server/app-render/work-unit-async-storage.external.js");
const { createRequestStoreForAPI } = nodeRequire("next/dist/server/async-storage/request-store.js");
const { createWorkStore } = nodeRequire("next/dist/server/async-storage/work-store.js");

function inRequestScope<T>(request: Request, run: () => Promise<T>): Promise<T> {
  const url = new URL(request.url);
  const workStore = createWorkStore({ page: url.pathname, renderOpts: { experimental: {} }, isPrefetchRequest: false, buildId: "fuzz", previouslyRevalidatedTags: [] });
  const requestStore = createRequestStoreForAPI({ headers: new Headers(request.headers) }, url, { tags: [], expirationsByCacheKind: new Map() }, undefined, undefined);
  return workAsyncStorage.run(workStore, () => workUnitAsyncStorage.run(requestStore, run));
}

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type Action = (...args: unknown[]) => Promise<unknown>;
type Principal = { label: string; userId: string | null; sessionId: string | null };
type Finding = string;

// The route handlers and actions use the process-wide client on it: dropped with it after the file.
const database = freshDatabaseForActions();
let routes: { file: string; segments: string[]; handlers: [string, Handler][]; queryNames: string[] }[];
let actions: { name: string; action: Action }[];
let fields: string[];
const calls = { routes: 0, actions: 0 };
const spent = { routes: 0, actions: 0, webhooks: 0, snapshots: 0 };
async function timed<T>(what: keyof typeof spent, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } finally {
    spent[what] += performance.now() - started;
  }
}

beforeAll(async () => {
  Object.assign(process.env, ENV);
  const { seedDemoData } = await import("@/lib/seed/demo");
  await seedDemoData(database.db, { seed: SEED, customers: 0, now: new Date("2026-11-20T10:00:00Z") });
  const fs = await import("node:fs");
  routes = await Promise.all(
    routeHandlerFiles().map(async ({ file, segments }) => {
      const exported = (await import(path.resolve(file))) as Record<string, unknown>;
      const handlers = Object.entries(exported).filter(([name, value]) => /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/.test(name) && typeof value === "function") as [string, Handler][];
      const queryNames = [...fs.readFileSync(file, "utf8").matchAll(/searchParams\.get\("([^"]+)"\)/g)].map((m) => m[1]);
      return { file, segments, handlers, queryNames };
    }),
  );
  actions = (
    await Promise.all(
      serverActionFiles().map(async (file) => {
        const exported = (await import(path.resolve(file))) as Record<string, unknown>;
        return Object.entries(exported)
          .filter(([, value]) => typeof value === "function")
          .map(([name, action]) => ({ name: `${file}#${name}`, action: action as Action }));
      }),
    )
  ).flat();
  fields = fieldNames();
}, 120_000);

// ---------------------------------------------------------------- principals and their data

async function principal(db: Db, label: string, email: string | null): Promise<Principal> {
  if (!email) return { label, userId: null, sessionId: null };
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  const { openSession } = await import("@/lib/accounts/sessions");
  return { label, userId: user.id, sessionId: (await openSession(db, user.id, "fuzz")).id };
}

/** What names the acting account, as it is now (a case it just opened counts too): its ids, its orders', returns' and cases' ids and numbers, its contact details. */
async function ownedIds(db: Db, who: Principal): Promise<string[]> {
  if (!who.userId) return [];
  const user = await db.user.findUniqueOrThrow({ where: { id: who.userId } });
  const [orders, returns, cases, addresses, cards, sessions] = await Promise.all([
    db.order.findMany({ where: { userId: user.id }, select: { id: true, number: true } }),
    db.return.findMany({ where: { userId: user.id }, select: { id: true, number: true } }),
    db.case.findMany({ where: { userId: user.id }, select: { id: true, number: true } }),
    db.address.findMany({ where: { userId: user.id }, select: { id: true } }),
    db.savedPaymentMethod.findMany({ where: { userId: user.id }, select: { id: true } }),
    db.authSession.findMany({ where: { userId: user.id }, select: { id: true } }),
  ]);
  return [user.id, user.analyticsId, user.email, user.phone, ...[orders, returns, cases].flatMap((rows) => rows.flatMap((r) => [r.id, r.number])), ...[addresses, cards, sessions].flatMap((rows) => rows.map((r) => r.id))].filter(
    (v): v is string => Boolean(v),
  );
}

/** Another customer's ids, for a customer to try on every route and action. */
async function foreignIds(db: Db, email: string): Promise<HostileValue[]> {
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  const [order, ret, kase, address, journey] = await Promise.all([
    db.order.findFirst({ where: { userId: user.id }, include: { lines: true }, orderBy: { number: "asc" } }),
    db.return.findFirst({ where: { userId: user.id }, include: { lines: true }, orderBy: { number: "asc" } }),
    db.case.findFirst({ where: { userId: user.id }, orderBy: { number: "asc" } }),
    db.address.findFirst({ where: { userId: user.id }, orderBy: { id: "asc" } }),
    db.journey.findFirst({ where: { userId: user.id }, orderBy: { id: "asc" } }),
  ]);
  const values: [string, string | undefined | null][] = [
    ["their user id", user.id],
    ["their order number", order?.number],
    ["their order line", order?.lines[0]?.id],
    ["their return number", ret?.number],
    ["their return line", ret?.lines[0]?.id],
    ["their case number", kase?.number],
    ["their address", address?.id],
    ["their journey", journey?.id],
  ];
  return values.filter((v): v is [string, string] => Boolean(v[1])).map(([label, value]) => ({ label: `another customer's: ${label}`, value }));
}

// ---------------------------------------------------------------- what changed

// Logs of attempts, not state: the trail (every refused step is recorded, that is its purpose) and
// its steps on their way into it, analytics rollups derived from it, rate-limit counters and the
// record of webhook deliveries.
const LOG_TABLES = new Set(["Journey", "TrailEvent", "TrailIntent", "RateLimit", "ProcessedWebhook", "_prisma_migrations"]);

type Snapshot = Map<string, Map<string, string>>;

/** Every row of every table that holds state, by the md5 of its text. */
async function snapshot(db: Db): Promise<Snapshot> {
  const tables = (await db.$queryRawUnsafe<{ name: string }[]>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`))
    .map((t) => t.name)
    .filter((name) => !LOG_TABLES.has(name) && !name.startsWith("Insights"));
  const query = tables
    .map((name) => `SELECT '${name}' AS name, x::text AS row FROM "${name}" x${name === "OutboxMessage" ? ` WHERE x."topic" <> 'posthog'` : ""}`)
    .join(" UNION ALL ");
  const rows = await db.$queryRawUnsafe<{ name: string; row: string }[]>(query);
  const tablesByName: Snapshot = new Map(tables.map((t) => [t, new Map()]));
  for (const { name, row } of rows) tablesByName.get(name)!.set(crypto.createHash("md5").update(row).digest("hex"), row);
  return tablesByName;
}

/** Rows added, removed or changed, other than the acting account's own. */
function changedRows(before: Snapshot, after: Snapshot, owned: string[]): string[] {
  const isOwned = (row: string) => owned.some((id) => row.includes(id));
  const changes: string[] = [];
  for (const [table, rows] of after) {
    const earlier = before.get(table) ?? new Map<string, string>();
    const added = [...rows].filter(([hash]) => !earlier.has(hash)).map(([, row]) => row);
    const removed = [...earlier].filter(([hash]) => !rows.has(hash)).map(([, row]) => row);
    for (const row of [...added, ...removed]) if (!isOwned(row)) changes.push(`${table} ${row.slice(0, 160)}`);
  }
  return changes;
}

// ---------------------------------------------------------------- calling

const isNextControlFlow = (error: unknown) => typeof (error as { digest?: unknown })?.digest === "string" && /^NEXT_(REDIRECT|HTTP_ERROR_FALLBACK|NOT_FOUND)/.test((error as { digest: string }).digest);

/** Runs one call; returns what went wrong, if anything. console.error is how the action client and handlers report an unexpected failure. */
async function attempt(what: string, request: Request, run: () => Promise<Response | unknown>): Promise<Finding | null> {
  const logged: string[] = [];
  const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ").slice(0, 300)));
  const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
  const info = vi.spyOn(console, "info").mockImplementation(() => undefined);
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
  try {
    const result = await inRequestScope(request, run);
    if (result instanceof Response && result.status >= 500) return `${what}: answered ${result.status} ${(await result.text()).slice(0, 200)}`;
    // A stream (the live view's feed) runs until its reader leaves: leave, as a browser would.
    if (result instanceof Response) await result.body?.cancel();
    if (logged.length) return `${what}: logged an error: ${logged[0]}`;
    return null;
  } catch (error) {
    if (isNextControlFlow(error)) return logged.length ? `${what}: logged an error: ${logged[0]}` : null;
    return `${what}: threw ${error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : String(error)}`;
  } finally {
    spy.mockRestore();
    warn.mockRestore();
    info.mockRestore();
    log.mockRestore();
  }
}

const BASE = "http://127.0.0.1:3999";

function requestFor(pathname: string, init: RequestInit & { headers?: Record<string, string> } = {}): Request {
  return new Request(`${BASE}${pathname}`, { ...init, headers: { "user-agent": "fuzz", ...(init.headers ?? {}) } });
}

function formOf(names: string[], value: string | Blob): FormData {
  const form = new FormData();
  for (const name of names) form.append(name, value);
  return form;
}

/** The bodies a POST-like handler gets: JSON of every field (flat and nested as batches and events are), raw text, a form. */
function bodies(value: string): { label: string; body: BodyInit; type: string }[] {
  const object = Object.fromEntries(fields.map((name) => [name, value]));
  return [
    { label: "json", body: JSON.stringify(object), type: "application/json" },
    { label: "json nested", body: JSON.stringify({ batch: [object], data: object, event: value, properties: object }), type: "application/json" },
    { label: "text", body: value, type: "text/plain" },
    { label: "urlencoded", body: new URLSearchParams(object).toString(), type: "application/x-www-form-urlencoded" },
  ];
}

async function walkRoutes(value: string, findings: Finding[]) {
  const { NextRequest } = await import("next/server");
  for (const route of routes) {
    // An empty path segment never reaches a dynamic route: the address would be another one.
    if (value === "" && route.segments.some((s) => s.startsWith("["))) continue;
    const params = Object.fromEntries(route.segments.filter((s) => s.startsWith("[")).map((s) => (s.startsWith("[...") ? [s.slice(4, -1), [value, value]] : [s.slice(1, -1), value])));
    const pathname = "/" + route.segments.map((s) => (s.startsWith("[") ? encodeURIComponent(Buffer.from(value).toString()) : s)).join("/");
    const query = route.queryNames.length ? `?${new URLSearchParams(route.queryNames.map((n) => [n, value]))}` : "";
    for (const [method, handler] of route.handlers) {
      const variants = method === "GET" || method === "HEAD" ? [{ label: "", body: undefined, type: "" }] : bodies(value);
      for (const variant of variants) {
        const request = new NextRequest(requestFor(pathname + query, { method, body: variant.body, headers: variant.type ? { "content-type": variant.type } : {} }));
        calls.routes++;
        const finding = await attempt(`${method} ${route.file} ${variant.label}`, request, () => handler(request, { params: Promise.resolve(params) }));
        if (finding) findings.push(finding);
      }
    }
  }
}

/** A server action's arguments as its form sends them (bound ids first), from its declared length. */
function argumentsFor(action: Action, value: unknown, form: unknown): unknown[] {
  const idle = { status: "idle" };
  if (action.length >= 3) return [value, idle, form];
  if (action.length === 1) return [value];
  return [idle, form];
}

async function walkActions(value: string, findings: Finding[]) {
  const form = formOf(fields, value);
  for (const { name, action } of actions) {
    calls.actions++;
    const finding = await attempt(name, requestFor("/", { method: "POST", headers: { "next-action": "fuzz" } }), () => action(...argumentsFor(action, value, form)));
    if (finding) findings.push(finding);
  }
}

/** Server actions can be called with any arguments at all: wrong types, missing ones, files for text. */
async function walkActionsWithWrongTypes(findings: Finding[]) {
  const file = new File([crypto.randomBytes(64)], "x.bin", { type: "application/octet-stream" });
  const shapes: [string, unknown[]][] = [
    ["no arguments", []],
    ["nulls", [null, null, null]],
    ["numbers", [1e308, -1, Number.NaN]],
    ["objects", [{ toString: null }, { status: "idle" }, { get: 1 }]],
    ["empty form", [undefined, { status: "idle" }, new FormData()]],
    ["files for every field", ["WM-100001", { status: "idle" }, formOf(fields, file)]],
    ["every field three times", ["WM-100001", { status: "idle" }, (() => { const f = formOf(fields, "a"); for (const n of fields) { f.append(n, "b"); f.append(n, "\u0000"); } return f; })()]],
  ];
  for (const { name, action } of actions) {
    for (const [label, args] of shapes) {
      calls.actions++;
      const finding = await attempt(`${name} (${label})`, requestFor("/", { method: "POST" }), () => action(...args));
      if (finding) findings.push(finding);
    }
  }
}

/** Webhooks are signed: a signed body still has to be checked field by field. Each leaf of a template event takes each value in turn. */
function signedDeliveries(replacements: unknown[]): { route: string; request: () => Request }[] {
  const stripe = new Stripe(ENV.STRIPE_SECRET_KEY);
  const now = Math.floor(Date.now() / 1000);
  const stripeEvents = [
    { id: "evt_fuzz", object: "event", type: "refund.updated", created: now, data: { object: { id: "re_fuzz", object: "refund", status: "succeeded", metadata: { waymark_refund_id: "rf_none" } } } },
    { id: "evt_fuzz", object: "event", type: "checkout.session.completed", created: now, data: { object: { id: "cs_fuzz", mode: "payment", status: "complete", payment_status: "paid", customer: "cus_fuzz", payment_intent: "pi_fuzz", amount_total: 100, metadata: { waymark_purpose: "balance", waymark_payment_id: "pay_none" } } } },
    { id: "evt_fuzz", object: "event", type: "payment_intent.payment_failed", created: now, data: { object: { id: "pi_fuzz", amount_received: 0, metadata: { waymark_purpose: "balance", waymark_payment_id: "pay_none" }, last_payment_error: { code: "card_declined" } } } },
  ];
  const carrierEvent = { id: "ce_fuzz", type: "return.received", occurredAt: new Date(now * 1000).toISOString(), data: { reference: "RT-000000" } };
  const backofficeEvents = [
    { type: "order.status_changed", data: { orderNumber: "WM-000000", status: "SHIPPED", at: new Date(now * 1000).toISOString() } },
    { type: "shipment.event", data: { orderNumber: "WM-000000", carrier: "Parcelnet", trackingNumber: "TRACK0000", status: "IN_TRANSIT", description: "Parcel scanned", location: "Depot", at: new Date(now * 1000).toISOString() } },
  ];
  const deliveries: { route: string; request: () => Request }[] = [];
  const unique = () => crypto.randomUUID();
  for (const template of stripeEvents) {
    for (const variant of mutations(template, replacements)) {
      deliveries.push({
        route: `stripe ${template.type}`,
        request: () => {
          const payload = JSON.stringify({ ...(variant as object), id: typeof (variant as { id: unknown }).id === "string" && (variant as { id: string }).id === "evt_fuzz" ? `evt_${unique()}` : (variant as { id: unknown }).id });
          return requestFor("/api/stripe/webhook", { method: "POST", body: payload, headers: { "content-type": "application/json", "stripe-signature": stripe.webhooks.generateTestHeaderString({ payload, secret: ENV.STRIPE_WEBHOOK_SECRET }) } });
        },
      });
    }
  }
  for (const variant of mutations(carrierEvent, replacements)) {
    deliveries.push({
      route: "carrier",
      request: () => {
        const payload = JSON.stringify(variant);
        return requestFor("/api/carrier/webhook", { method: "POST", body: payload, headers: { "content-type": "application/json", "x-carrier-signature": signCarrierPayload(ENV.CARRIER_WEBHOOK_SECRET, payload) } });
      },
    });
  }
  for (const template of backofficeEvents) {
    for (const variant of mutations(template, replacements)) {
      deliveries.push({
        route: `backoffice ${template.type}`,
        request: () => {
          const payload = JSON.stringify(variant);
          return requestFor("/api/backoffice/webhook", { method: "POST", body: payload, headers: { "content-type": "application/json", ...webhookHeaders(ENV.BACKOFFICE_INBOUND_SECRET, `msg_${unique()}`, payload) } });
        },
      });
    }
  }
  return deliveries;
}

/** What a field of a signed event may be instead of what it should: a number, nothing, a list, an object. */
const WRONG_TYPES: unknown[] = [12345, 1e308, -1, true, null, [], ["x"], {}, { id: "x" }];

/** The template with one leaf replaced, for every leaf, by each replacement in turn. */
function mutations(template: unknown, replacements: unknown[]): unknown[] {
  const out: unknown[] = [];
  const visit = (node: unknown, replace: (next: unknown) => unknown) => {
    if (node !== null && typeof node === "object") {
      for (const key of Object.keys(node)) visit((node as Record<string, unknown>)[key], (next) => replace(Array.isArray(node) ? Object.assign([...node], { [key]: next }) : { ...(node as object), [key]: next }));
    } else {
      for (const replacement of replacements) out.push(replace(replacement));
    }
  };
  visit(template, (next) => next);
  return out;
}

async function walkSignedWebhooks(replacements: unknown[], findings: Finding[]) {
  for (const delivery of signedDeliveries(replacements)) {
    const route = routes.find((r) => delivery.request().url.endsWith("/" + r.segments.join("/")));
    const post = route?.handlers.find(([method]) => method === "POST")?.[1];
    if (!post) continue;
    const request = delivery.request();
    calls.routes++;
    const finding = await attempt(`signed ${delivery.route}`, request, () => post(request, { params: Promise.resolve({}) }));
    if (finding) findings.push(finding);
  }
}

// ---------------------------------------------------------------- the walk

it("answers every route handler and server action's hostile input without a 5xx, an unexpected error or a change to anyone else's data", async () => {
  const started = Date.now();
  const db = database.db;
  const corpus = [...hostileStrings(SEED), ...hostileJson(fields)];
  const principals = [
    await principal(db, "anonymous", null),
    await principal(db, "customer", "ada@example.com"),
    await principal(db, "agent", "agent@waymark.test"),
    await principal(db, "analyst", "analyst@waymark.test"),
  ];
  const foreign = await foreignIds(db, "grace@example.com");
  expect(routes.length).toBeGreaterThanOrEqual(12);
  expect(actions.length).toBeGreaterThanOrEqual(30);

  const findings: Finding[] = [];
  for (const who of principals) {
    session.current = who.sessionId ? { sessionId: who.sessionId } : null;
    // Each principal must really be who it says: were the portal to read the session another way,
    // the stub would no longer apply and every call would silently be a visitor's.
    const { currentPrincipal } = await import("@/lib/auth/principal");
    expect((await inRequestScope(requestFor("/"), () => currentPrincipal()))?.userId ?? null).toBe(who.userId);
    // Other customers' ids are tried by a customer; staff legitimately act on any customer, and share
    // the code paths already walked, so they get a sample of the corpus (keeps the walk near a minute).
    const values = who.label === "customer" ? [...corpus, ...foreign] : who.label === "anonymous" ? corpus : corpus.filter((_, i) => i % 3 === 0);
    const batches: [string, (local: Finding[]) => Promise<void>][] = values.map(({ label, value }) => [
      label,
      async (local) => {
        await timed("routes", () => walkRoutes(value, local));
        await timed("actions", () => walkActions(value, local));
        // Signed webhooks come from a trusted sender: hostile values, never real ids, are tried there
        // (every other one: each is tried in every field of five events).
        if (who.label === "anonymous" && corpus.some((c, i) => c.value === value && i % 2 === 0)) await timed("webhooks", () => walkSignedWebhooks([value], local));
      },
    ]);
    batches.push(["wrong types", async (local) => {
      await walkActionsWithWrongTypes(local);
      if (who.label === "anonymous") await timed("webhooks", () => walkSignedWebhooks(WRONG_TYPES, local));
    }]);
    for (const [label, run] of batches) {
      const before = await timed("snapshots", () => snapshot(db));
      const local: Finding[] = [];
      await run(local);
      const after = await timed("snapshots", () => snapshot(db));
      local.push(...changedRows(before, after, await ownedIds(db, who)).map((row) => `changed ${row}`));
      findings.push(...local.map((f) => `[${who.label} · ${label}] ${f}`));
    }
  }
  session.current = null;
  console.info(`[fuzz] ${routes.length} route files (${routes.reduce((n, r) => n + r.handlers.length, 0)} handlers), ${actions.length} server actions, ${corpus.length} hostile values + ${foreign.length} foreign ids, ${principals.length} principals: ${calls.routes} route calls + ${calls.actions} action calls in ${((Date.now() - started) / 1000).toFixed(1)} s (${Object.entries(spent).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`).join(", ")}), ${findings.length} findings`);
  expect([...new Set(findings)]).toEqual([]);
}, 300_000);
