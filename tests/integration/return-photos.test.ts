// Return photos cost disk: an account's uploads stop at an hourly budget and at a cap of photos no
// return uses yet, photos no return uses are removed after a while, and a deleted account's folder
// goes. The real upload route and PostgreSQL; only the session cookie and the request's headers
// are stood in for.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openSession } from "@/lib/accounts/sessions";
import { deleteAccount } from "@/lib/privacy/deletion";
import { trailFor } from "@/lib/privacy/test-fixtures";
import { removeUnusedPhotos, storePhoto } from "@/lib/returns/photos";
import { submitReturn } from "@/lib/returns/returns";
import { recordStep } from "@/lib/trail/server";
import { freshDatabaseForActions } from "../support/db";
import { createDeliveredOrder, createReturnCustomer } from "../support/returns-fixtures";

const session = vi.hoisted(() => ({ current: null as string | null }));
vi.mock("@/lib/auth/session-cookie", () => ({ sessionIdFromCookie: async () => session.current }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "user-agent": "vitest" }), cookies: async () => ({ get: () => undefined }) }));

const database = freshDatabaseForActions();
const uploads = fs.mkdtempSync(path.join(os.tmpdir(), "waymark-uploads-"));
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
const HOUR = 3_600_000;

beforeAll(() => {
  process.env.UPLOADS_DIR = uploads;
});
afterAll(() => fs.rmSync(uploads, { recursive: true, force: true }));

const filesOf = (userId: string) => (fs.existsSync(path.join(uploads, "returns", userId)) ? fs.readdirSync(path.join(uploads, "returns", userId)) : []);

async function signedInCustomer() {
  const customer = await createReturnCustomer(database.db);
  session.current = (await openSession(database.db, customer.user.id, "vitest")).id;
  return customer;
}

async function upload(options: { bytes?: Buffer; journeyId?: string | null } = {}): Promise<{ status: number; body: { token?: string; code?: string; message?: string }; retryAfter: string | null }> {
  const { POST } = await import("@/app/returns/photos/route");
  const form = new FormData();
  form.append("photo", new File([new Uint8Array(options.bytes ?? PNG)], "damage.png", { type: "image/png" }));
  const journeyId = options.journeyId === undefined ? crypto.randomUUID() : options.journeyId;
  const response = await POST(new NextRequest(`http://127.0.0.1/returns/photos${journeyId ? `?journeyId=${journeyId}` : ""}`, { method: "POST", body: form }));
  return { status: response.status, body: (await response.json()) as { token?: string }, retryAfter: response.headers.get("retry-after") };
}

describe("return photo uploads", () => {
  it("leave a refused photo in the customer's open return attempt when the upload names none", async () => {
    const customer = await signedInCustomer();
    const attemptId = crypto.randomUUID();
    await database.db.$transaction((tx) => recordStep(tx, customer.actor, { journeyId: attemptId, type: "return", step: "items", action: "viewed" }));
    const refused = await upload({ bytes: Buffer.from("not a photo at all"), journeyId: null });
    expect(refused.status).toBe(415);
    const attempts = await database.db.journey.findMany({ where: { userId: customer.user.id }, include: { events: { select: { step: true, kind: true, errorCode: true } } } });
    expect(attempts.map((a) => ({ id: a.id, events: a.events }))).toEqual([
      { id: attemptId, events: expect.arrayContaining([expect.objectContaining({ step: "items", kind: "ERROR", errorCode: refused.body.code })]) },
    ]);
  });

  it("stop at the account's cap of photos no return uses; a return using one makes room", async () => {
    Object.assign(process.env, { RETURN_PHOTO_UNUSED_MAX: "3", RETURN_PHOTO_UPLOADS_PER_HOUR: "100" });
    const customer = await signedInCustomer();
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await upload());
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 429]);
    expect(answers[3].body).toMatchObject({ code: "photo_limit", message: expect.stringContaining("without sending a return") });
    expect(filesOf(customer.user.id)).toHaveLength(3);

    const { order, lines } = await createDeliveredOrder(database.db, customer.user.id);
    const request = { idempotencyKey: crypto.randomUUID(), orderNumber: order.number, resolution: "REFUND" as const, method: "DROP_OFF" as const, lines: [{ lineId: lines[0].id, quantity: 1, reason: "damaged" as const, note: null, photo: answers[0].body.token!, exchangeVariantId: null }] };
    expect(await submitReturn(database.db, { userId: customer.user.id, actor: customer.actor, journeyId: crypto.randomUUID(), request })).toMatchObject({ ok: true });
    expect((await upload()).status).toBe(201);
  });

  it("stop at the account's hourly budget, saying when to try again", async () => {
    Object.assign(process.env, { RETURN_PHOTO_UNUSED_MAX: "1000", RETURN_PHOTO_UPLOADS_PER_HOUR: "5" });
    const customer = await signedInCustomer();
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await upload());
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201, 429, 429]);
    expect(answers[5].body.message).toMatch(/^Too many attempts\. For your security, try again in \d+ minutes?\.$/);
    expect(Number(answers[5].retryAfter)).toBeGreaterThan(0);
    expect(filesOf(customer.user.id)).toHaveLength(5);
    // Another account has its own budget.
    await signedInCustomer();
    expect((await upload()).status).toBe(201);
  });
});

describe("photos no return uses", () => {
  it("are removed once older than the limit; photos a return uses and recent ones stay", async () => {
    const customer = await createReturnCustomer(database.db);
    const [used, oldUnused, recentUnused] = await Promise.all([1, 2, 3].map(() => storePhoto(customer.user.id, PNG, uploads)));
    if (!used.ok || !oldUnused.ok || !recentUnused.ok) throw new Error("photo not stored");
    const { order, lines } = await createDeliveredOrder(database.db, customer.user.id);
    const request = { idempotencyKey: crypto.randomUUID(), orderNumber: order.number, resolution: "REFUND" as const, method: "DROP_OFF" as const, lines: [{ lineId: lines[0].id, quantity: 1, reason: "damaged" as const, note: null, photo: used.token, exchangeVariantId: null }] };
    expect(await submitReturn(database.db, { userId: customer.user.id, actor: customer.actor, journeyId: crypto.randomUUID(), request })).toMatchObject({ ok: true });
    const now = new Date();
    const twoDaysAgo = new Date(now.getTime() - 48 * HOUR);
    for (const token of [used.token, oldUnused.token]) fs.utimesSync(path.join(uploads, "returns", customer.user.id, token), twoDaysAgo, twoDaysAgo);

    await removeUnusedPhotos(database.db, now, 24 * HOUR, uploads);
    expect(filesOf(customer.user.id).sort()).toEqual([used.token, recentUnused.token].sort());
  });
});

describe("deleting the account", () => {
  it("removes the customer's photo folder and leaves other customers' photos", async () => {
    const customer = await createReturnCustomer(database.db);
    const user = await database.db.user.findUniqueOrThrow({ where: { id: customer.user.id } });
    const other = await createReturnCustomer(database.db);
    await storePhoto(customer.user.id, PNG, uploads);
    await storePhoto(other.user.id, PNG, uploads);
    expect(await deleteAccount(database.db, user.id, trailFor(user))).toEqual({ ok: true });
    expect(fs.existsSync(path.join(uploads, "returns", customer.user.id))).toBe(false);
    expect(filesOf(other.user.id)).toHaveLength(1);
  });
});
