// Bad input gets a 4xx, never a 500: values that used to reach PostgreSQL (which refuses a NUL
// byte in text) or crash on the wrong type, found by the fuzz test and kept here by name.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openSession } from "@/lib/accounts/sessions";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { createCustomer } from "../support/orders";

const session = vi.hoisted(() => ({ current: null as { sessionId: string } | null }));
vi.mock("@/lib/auth/session-cookie", () => ({ sessionIdFromCookie: async () => session.current?.sessionId ?? null }));

let database: FreshDatabase;

beforeAll(async () => {
  database = await freshDatabase();
  process.env.DATABASE_URL = database.url;
  const customer = await createCustomer(database.db);
  session.current = { sessionId: (await openSession(database.db, customer.id, "test")).id };
});
afterAll(() => database.drop());

describe("bad input", () => {
  it("answers 404 to a return photo address with a NUL byte or an overlong id, as to any photo that is not the customer's", async () => {
    const { GET } = await import("@/app/returns/[number]/photos/[lineId]/route");
    for (const params of [{ number: "RT-100001", lineId: "line\u0000" }, { number: "RT-1\u00000", lineId: "line" }, { number: "RT-100001", lineId: "x".repeat(5000) }]) {
      const response = await GET(new Request("http://127.0.0.1/returns/x/photos/y"), { params: Promise.resolve(params) });
      expect(response.status).toBe(404);
    }
  });
});
