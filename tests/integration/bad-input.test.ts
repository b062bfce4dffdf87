// Bad input gets a 4xx, never a 500: values that used to reach PostgreSQL (which refuses a NUL
// byte in text) or crash on the wrong type, found by the fuzz test and kept here by name.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { openSession } from "@/lib/accounts/sessions";
import { IDLE } from "@/lib/http/form-state";
import { freshDatabaseForActions } from "../support/db";
import { createCustomer, createOrder } from "../support/orders";

const session = vi.hoisted(() => ({ current: null as { sessionId: string } | null }));
vi.mock("@/lib/auth/session-cookie", () => ({ sessionIdFromCookie: async () => session.current?.sessionId ?? null }));
// Server actions read the request's headers and cookies (the trail's device); the test has no request.
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "user-agent": "vitest" }), cookies: async () => ({ get: () => undefined }) }));

const database = freshDatabaseForActions();
let customer: Awaited<ReturnType<typeof createCustomer>>;

beforeAll(async () => {
  customer = await createCustomer(database.db);
  session.current = { sessionId: (await openSession(database.db, customer.id, "test")).id };
});

describe("bad input", () => {
  it("answers 404 to a return photo address with a NUL byte or an overlong id, as to any photo that is not the customer's", async () => {
    const { GET } = await import("@/app/returns/[number]/photos/[lineId]/route");
    for (const params of [{ number: "RT-100001", lineId: "line\u0000" }, { number: "RT-1\u00000", lineId: "line" }, { number: "RT-100001", lineId: "x".repeat(5000) }]) {
      const response = await GET(new Request("http://127.0.0.1/returns/x/photos/y"), { params: Promise.resolve(params) });
      expect(response.status).toBe(404);
    }
  });

  it("refuses a return form whose lines JSON carries a NUL byte as unreadable, logging nothing, changing nothing and recording each refusal in the trail", async () => {
    const { submitReturnAction } = await import("@/app/orders/[number]/return/actions");
    const order = await createOrder(database.db, customer.id, { status: "DELIVERED" });
    const [line] = order.lines;
    const journeyId = crypto.randomUUID();
    // JSON's own escape: the raw form field holds no NUL byte, the parsed value does.
    for (const hostile of [{ lineId: `${line.id}\\u0000` }, { lineId: line.id, note: "fine\\u0000" }]) {
      const lines = `[{"lineId":"${hostile.lineId}","quantity":1,"reason":"damaged"${hostile.note ? `,"note":"${hostile.note}"` : ""}}]`;
      expect(lines).not.toContain("\u0000");
      const form = new FormData();
      for (const [name, value] of Object.entries({ idempotencyKey: crypto.randomUUID(), resolution: "REFUND", method: "DROP_OFF", lines, journeyId })) form.append(name, value);
      const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
      try {
        expect(await submitReturnAction(order.number, IDLE, form)).toEqual({ status: "error", message: "We could not read this form. Reload the page and try again." });
        expect(logged).not.toHaveBeenCalled();
      } finally {
        logged.mockRestore();
      }
    }
    expect(await database.db.return.count({ where: { userId: customer.id } })).toBe(0);
    const refusals = await database.db.trailEvent.findMany({ where: { journeyId, kind: "ERROR" }, select: { step: true, errorCode: true } });
    expect(refusals).toEqual([
      { step: "method", errorCode: "unreadable_form" },
      { step: "method", errorCode: "unreadable_form" },
    ]);
  });
});
