// Bad input gets a 4xx, never a 500: values that used to reach PostgreSQL (which refuses a NUL
// byte in text) or crash on the wrong type, found by the fuzz test and kept here by name; and a
// refused form is a failed step in the customer's trail.
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

// A task's form refused before the task runs (empty fields, nothing chosen) is a failed step of the
// customer's attempt, as a refusal by the task itself is: the funnels' "why" counts both. Found
// walking the portal: an empty new address and a cancellation of nothing left no trace.
function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) data.append(name, one);
  return data;
}

async function failedSteps(journeyId: string) {
  return database.db.trailEvent.findMany({ where: { journeyId, kind: "ERROR" }, select: { journeyType: true, step: true, errorCode: true } });
}

describe("a task's form refused before the task runs", () => {
  it("an empty new delivery address: the fields are named, the order keeps its address, and the attempt shows the address step failed", async () => {
    const { changeDeliveryAddressAction } = await import("@/app/orders/[number]/delivery-address/actions");
    const order = await createOrder(database.db, customer.id, { status: "PROCESSING" });
    const before = await database.db.order.findUniqueOrThrow({ where: { id: order.id }, select: { shippingAddress: true } });
    const journeyId = crypto.randomUUID();
    const answer = await changeDeliveryAddressAction(order.number, IDLE, form({ savedAddressId: "new", fullName: "", line1: "", city: "", postalCode: "", country: "GB", journeyId }));
    expect(answer.status).toBe("error");
    expect(Object.keys(answer.fieldErrors ?? {})).toEqual(expect.arrayContaining(["fullName", "line1", "city", "postalCode"]));
    expect(await database.db.order.findUniqueOrThrow({ where: { id: order.id }, select: { shippingAddress: true } })).toEqual(before);
    expect(await failedSteps(journeyId)).toEqual([{ journeyType: "delivery_address_change", step: "address", errorCode: "validation_error" }]);
  });

  it("a cancellation of nothing: nothing is cancelled, and the attempt shows the items step failed", async () => {
    const { cancelOrderAction } = await import("@/app/orders/[number]/cancel/actions");
    const order = await createOrder(database.db, customer.id, { status: "PROCESSING" });
    const journeyId = crypto.randomUUID();
    const answer = await cancelOrderAction(order.number, IDLE, form({ lineId: order.lines.map((l) => l.id), quantity: order.lines.map(() => "0"), journeyId }));
    expect(answer).toMatchObject({ status: "error" });
    expect(await database.db.orderLine.aggregate({ where: { orderId: order.id }, _sum: { cancelledQuantity: true } })).toEqual({ _sum: { cancelledQuantity: 0 } });
    expect(await failedSteps(journeyId)).toEqual([{ journeyType: "order_cancellation", step: "lines", errorCode: "validation_error" }]);
  });

  it("a problem report with no problem chosen: nothing is resolved, and the attempt shows the problem step failed", async () => {
    const { resolveProblemAction } = await import("@/app/orders/[number]/problem/actions");
    const order = await createOrder(database.db, customer.id, { status: "DELIVERED" });
    const journeyId = crypto.randomUUID();
    const answer = await resolveProblemAction(order.number, IDLE, form({ journeyId }));
    expect(answer).toMatchObject({ status: "error" });
    expect(await database.db.refund.count({ where: { orderId: order.id } })).toBe(0);
    expect(await failedSteps(journeyId)).toEqual([{ journeyType: "problem_report", step: "problem", errorCode: "validation_error" }]);
  });
});
