// A stand-in carrier API for tests and the demo (plain node:http). It checks OUR side of the
// contract of lib/integrations/carrier.ts: bookings and cancellations carry an idempotency key, a
// booking a reference and a known method, and the same key always gets the same booking back; a
// booking is called off by its reference until the parcel is collected. It is not any real carrier.
//
// Run standalone (Playwright webServer):  npx tsx e2e/support/carrier-stand-in.ts --port 12112 [--host 127.0.0.1]
// From Vitest:                            const carrier = await startCarrierStandIn({ port: 0 });
//
// Inspection and control, under `/_`: GET /_health · GET /_bookings ·
// POST /_control/down {"down": true|false, "postalCode"?: "ZZ9 9ZZ"} — with a postal code, only
// bookings from that address (and their cancellations) fail (a local outage that leaves other tests
// running in parallel alone) · POST /_control/collect {"reference": "RT-100001"} — the driver has
// the parcel: it can no longer be called off.
import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseArgs } from "node:util";
import { readBody, runStandIn, sendJson, serveStandIn } from "./stand-in-http";

export type StandInBooking = {
  idempotencyKey: string;
  reference: string;
  method: "LABEL" | "DROP_OFF" | "PICKUP";
  carrier: string;
  trackingNumber: string;
  dropOffCode: string | null;
  pickupDate: string | null;
  requests: number;
  /** Booked; collected (the parcel is moving, too late to call off); or called off. */
  state: "booked" | "collected" | "cancelled";
  cancelRequests: number;
};

export interface CarrierStandIn {
  url: string;
  port: number;
  bookings(): StandInBooking[];
  setDown(down: boolean, postalCode?: string): void;
  /** The parcel booked under `reference` is collected: a call-off is refused from now on. */
  collect(reference: string): void;
  close(): Promise<void>;
}

const METHODS = new Set(["LABEL", "DROP_OFF", "PICKUP"]);
const MAX_BODY_BYTES = 64 * 1024;

async function readJson(req: IncomingMessage): Promise<unknown> {
  return JSON.parse((await readBody(req, MAX_BODY_BYTES)).toString("utf8") || "null");
}

function nextWeekday(from: Date): string {
  const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + 1));
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

export async function startCarrierStandIn(options: { port?: number; host?: string } = {}): Promise<CarrierStandIn> {
  const byKey = new Map<string, StandInBooking>();
  // Where each booking (by idempotency key) is collected from, for a local outage.
  const postalCodeOf = new Map<string, string>();
  let down = false;
  const downFor = new Set<string>();
  let serial = 0;
  const setDown = (value: boolean, postalCode?: string) => {
    if (postalCode === undefined) down = value;
    else if (value) downFor.add(postalCode);
    else downFor.delete(postalCode);
  };
  const bookedUnder = (reference: string) => [...byKey.values()].findLast((b) => b.reference === reference);
  const collect = (reference: string) => {
    const booking = bookedUnder(reference);
    if (booking?.state === "booked") booking.state = "collected";
  };
  const requireKey = (req: IncomingMessage, res: ServerResponse) => {
    const key = req.headers["idempotency-key"];
    if (typeof key === "string" && key.length >= 8) return key;
    sendJson(res, 400, { error: "an Idempotency-Key header is required" });
    return null;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0];
    try {
      if (path === "/_health") return sendJson(res, 200, { status: "ok" });
      if (path === "/_bookings") return sendJson(res, 200, [...byKey.values()]);
      if (path === "/_control/down" && req.method === "POST") {
        const control = (await readJson(req)) as { down?: unknown; postalCode?: unknown } | null;
        setDown(Boolean(control?.down), typeof control?.postalCode === "string" ? control.postalCode : undefined);
        return sendJson(res, 200, { down, downFor: [...downFor] });
      }
      if (path === "/_control/collect" && req.method === "POST") {
        const control = (await readJson(req)) as { reference?: unknown } | null;
        collect(String(control?.reference));
        return sendJson(res, 200, bookedUnder(String(control?.reference)) ?? null);
      }
      if (down) return sendJson(res, 503, { error: "service unavailable" });
      if (path === "/v1/return-shipments/cancellations" && req.method === "POST") {
        if (!requireKey(req, res)) return;
        const body = (await readJson(req)) as { reference?: unknown } | null;
        if (typeof body?.reference !== "string") return sendJson(res, 422, { error: "reference is required" });
        const booking = bookedUnder(body.reference);
        if (!booking) return sendJson(res, 404, { error: "no return shipment is booked under this reference", code: "not_booked" });
        if (downFor.has(postalCodeOf.get(booking.idempotencyKey) ?? "")) return sendJson(res, 503, { error: "service unavailable in this area" });
        booking.cancelRequests += 1;
        if (booking.state === "collected") return sendJson(res, 409, { error: "the parcel is already on its way", code: "parcel_moving" });
        booking.state = "cancelled";
        return sendJson(res, 200, { reference: booking.reference, status: "cancelled" });
      }
      if (path === "/v1/return-shipments" && req.method === "POST") {
        const key = requireKey(req, res);
        if (!key) return;
        const body = (await readJson(req)) as { reference?: unknown; method?: unknown; from?: { country?: unknown; postalCode?: unknown } } | null;
        if (typeof body?.reference !== "string" || !METHODS.has(String(body.method)) || typeof body.from?.country !== "string") {
          return sendJson(res, 422, { error: "reference, method and from.country are required" });
        }
        if (downFor.has(String(body.from.postalCode))) return sendJson(res, 503, { error: "service unavailable in this area" });
        const existing = byKey.get(key);
        if (existing) {
          if (existing.reference !== body.reference || existing.method !== body.method) return sendJson(res, 409, { error: "idempotency key reused with a different booking" });
          existing.requests += 1;
          return sendJson(res, 200, existing);
        }
        serial += 1;
        const method = body.method as StandInBooking["method"];
        const booking: StandInBooking = {
          idempotencyKey: key,
          reference: body.reference,
          method,
          carrier: "Parcelnet Returns",
          trackingNumber: `PR${String(5_100_000_000 + serial * 7 + crypto.randomInt(0, 7))}`,
          dropOffCode: method === "DROP_OFF" ? crypto.randomBytes(4).toString("hex").toUpperCase() : null,
          pickupDate: method === "PICKUP" ? nextWeekday(new Date()) : null,
          requests: 1,
          state: "booked",
          cancelRequests: 0,
        };
        byKey.set(key, booking);
        postalCodeOf.set(key, String(body.from.postalCode));
        return sendJson(res, 201, booking);
      }
      return sendJson(res, 404, { error: "not found" });
    } catch {
      return sendJson(res, 400, { error: "invalid request" });
    }
  };
  const served = await serveStandIn("carrier stand-in", handle, { host: options.host ?? "127.0.0.1", port: options.port, crashed: (res) => sendJson(res, 500, { error: "stand-in crashed; see its stderr" }) });
  return {
    url: served.url,
    port: served.port,
    bookings: () => [...byKey.values()],
    setDown,
    collect,
    close: served.close,
  };
}

runStandIn(
  import.meta.url,
  async () => {
    const { values } = parseArgs({ options: { port: { type: "string", default: "12112" }, host: { type: "string", default: "127.0.0.1" } } });
    return startCarrierStandIn({ port: Number(values.port), host: values.host });
  },
  (url) => `[carrier-stand-in] listening on ${url}`,
);
