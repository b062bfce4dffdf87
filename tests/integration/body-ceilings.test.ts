// Route handlers that take a body from anyone stop reading it at their ceiling. A body sent
// without its length (chunked) used to be held whole before any check: one anonymous 400 MB
// POST to /unsubscribe/<anything> took the live server from 0.35 to 1.6 GB (found by the
// attacker probe), and the webhooks read the same way. The real handlers and PostgreSQL; only
// the session cookie is stood in for.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openSession } from "@/lib/accounts/sessions";
import { MAX_PHOTO_BYTES } from "@/lib/returns/photo-rules";
import { freshDatabaseForActions } from "../support/db";
import { createReturnCustomer } from "../support/returns-fixtures";

const session = vi.hoisted(() => ({ current: null as string | null }));
vi.mock("@/lib/auth/session-cookie", () => ({ sessionIdFromCookie: async () => session.current }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "user-agent": "vitest" }), cookies: async () => ({ get: () => undefined }) }));

const database = freshDatabaseForActions();
const uploads = fs.mkdtempSync(path.join(os.tmpdir(), "waymark-uploads-"));

beforeAll(() => {
  Object.assign(process.env, {
    UPLOADS_DIR: uploads,
    NEXTAUTH_SECRET: "ceilings-only-secret-5c1e9b7a3d2f8e6a4b0c9d7e1f3a5b8c",
    STRIPE_SECRET_KEY: "sk_test_ceilings",
    // Nothing listens there: nothing in this file should reach Stripe.
    STRIPE_API_BASE: "http://127.0.0.1:9",
    STRIPE_WEBHOOK_SECRET: "whsec_ceilings_only",
    CARRIER_WEBHOOK_SECRET: "ceilings-carrier-secret",
    BACKOFFICE_INBOUND_SECRET: `whsec_${crypto.randomBytes(32).toString("base64")}`,
  });
});
afterAll(() => fs.rmSync(uploads, { recursive: true, force: true }));

const CHUNK_BYTES = 64 * 1024;
const SENT_BYTES = 32 * 1024 * 1024;

/** A POST whose body streams in without a Content-Length, and how much of it the handler pulled. */
function streamedPost(url: string, contentType: string) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled >= SENT_BYTES) return controller.close();
        pulled += CHUNK_BYTES;
        controller.enqueue(new Uint8Array(CHUNK_BYTES).fill(0x61));
      },
    },
    { highWaterMark: 0 },
  );
  const request = new NextRequest(new Request(url, { method: "POST", headers: { "content-type": contentType }, body, duplex: "half" } as RequestInit));
  return { request, pulled: () => pulled };
}

const anonymousEndpoints: { name: string; url: string; contentType: string; ceiling: number; answer: (request: NextRequest) => Promise<Response> }[] = [
  { name: "the one-click unsubscribe", url: "http://127.0.0.1/unsubscribe/forged", contentType: "application/x-www-form-urlencoded", ceiling: 1024, answer: async (request) => (await import("@/app/unsubscribe/[token]/route")).POST(request, { params: Promise.resolve({ token: "forged" }) }) },
  { name: "Stripe's webhook", url: "http://127.0.0.1/api/stripe/webhook", contentType: "application/json", ceiling: 1024 * 1024, answer: async (request) => (await import("@/app/api/stripe/webhook/route")).POST(request) },
  { name: "the carrier's webhook", url: "http://127.0.0.1/api/carrier/webhook", contentType: "application/json", ceiling: 64 * 1024, answer: async (request) => (await import("@/app/api/carrier/webhook/route")).POST(request) },
  { name: "the back office's webhook", url: "http://127.0.0.1/api/backoffice/webhook", contentType: "application/json", ceiling: 64 * 1024, answer: async (request) => (await import("@/app/api/backoffice/webhook/route")).POST(request) },
];

describe("a body sent without its length", () => {
  for (const endpoint of anonymousEndpoints) {
    it(`is refused by ${endpoint.name} once past its ceiling, not read to the end`, async () => {
      const { request, pulled } = streamedPost(endpoint.url, endpoint.contentType);
      const response = await endpoint.answer(request);
      expect(response.status).toBe(413);
      expect(pulled()).toBeLessThanOrEqual(endpoint.ceiling + 2 * CHUNK_BYTES);
    });
  }

  it("is refused by the return photo upload once past the largest photo, saying the photo is too large", async () => {
    const customer = await createReturnCustomer(database.db);
    session.current = (await openSession(database.db, customer.user.id, "vitest")).id;
    const { POST } = await import("@/app/returns/photos/route");
    const { request, pulled } = streamedPost("http://127.0.0.1/returns/photos", "multipart/form-data; boundary=x");
    const response = await POST(request);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: "photo_too_large" });
    expect(pulled()).toBeLessThanOrEqual(MAX_PHOTO_BYTES + 64 * 1024 + 2 * CHUNK_BYTES);
  });
});
