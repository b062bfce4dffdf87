// The carrier seam: booking a return shipment (printable label, drop-off code or pickup) over HTTP
// against CARRIER_API_BASE, and calling one off. Tests and the demo point it at a local stand-in
// (e2e/support/carrier-stand-in.ts). Each request carries an idempotency key derived from the
// return, so a retry after a timeout books (or cancels) nothing twice.
import "server-only";
import { z } from "zod";
import { env, type Config } from "@/lib/config/env";

/** `timeoutMs`: how long a background booking may take before it is retried later (4 s when unset). */
export type CarrierConfig = { baseUrl: string; apiKey: string | null; timeoutMs?: number };

/** Null when no carrier is configured: labels then wait in the outbox until one is. */
export function carrierConfig(config: Config = env()): CarrierConfig | null {
  if (!config.CARRIER_API_BASE) return null;
  return { baseUrl: config.CARRIER_API_BASE, apiKey: config.CARRIER_API_KEY ?? null };
}

export type CarrierAddress = { fullName: string; line1: string; line2: string | null; city: string; postalCode: string; country: string };

export type ReturnShipmentRequest = {
  idempotencyKey: string;
  /** Our return number; the carrier's webhooks refer to it. */
  reference: string;
  method: "LABEL" | "DROP_OFF" | "PICKUP";
  from: CarrierAddress;
};

const shipmentSchema = z.object({
  carrier: z.string().min(1).max(60),
  trackingNumber: z.string().min(4).max(60),
  dropOffCode: z.string().min(4).max(40).nullable(),
  pickupDate: z.iso.date().nullable(),
});

export type ReturnShipment = z.infer<typeof shipmentSchema>;

export class CarrierUnavailableError extends Error {}

/** One POST to the carrier's API with its idempotency key; unreachable or timed out is CarrierUnavailableError. */
async function post(config: CarrierConfig, path: string, idempotencyKey: string, body: unknown, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(`${config.baseUrl}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "idempotency-key": idempotencyKey,
        ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new CarrierUnavailableError(`carrier unreachable: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function answer<T>(response: Response, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new CarrierUnavailableError("carrier answered with an unexpected body");
  return parsed.data;
}

export async function bookReturnShipment(config: CarrierConfig, request: ReturnShipmentRequest, timeoutMs = config.timeoutMs ?? 4000): Promise<ReturnShipment> {
  const response = await post(config, "/v1/return-shipments", request.idempotencyKey, { reference: request.reference, method: request.method, from: request.from }, timeoutMs);
  if (!response.ok) throw new CarrierUnavailableError(`carrier answered ${response.status}`);
  return answer(response, shipmentSchema);
}

/**
 * What the carrier did with a call-off: cancelled the booking (its label or drop-off code stops
 * working, its pickup is not made), found none under the reference (nothing was booked), or
 * refused because the parcel is already moving (collected or handed in).
 */
export type ShipmentCancellation = "cancelled" | "not_booked" | "parcel_moving";

const cancelledSchema = z.object({ reference: z.string(), status: z.literal("cancelled") });
const cancelRefusalSchema = z.object({ code: z.enum(["not_booked", "parcel_moving"]) });

/** Calls off the return shipment booked under our return number; the same key on every attempt. */
export async function cancelReturnShipment(config: CarrierConfig, request: { idempotencyKey: string; reference: string }, timeoutMs = config.timeoutMs ?? 4000): Promise<ShipmentCancellation> {
  const response = await post(config, "/v1/return-shipments/cancellations", request.idempotencyKey, { reference: request.reference }, timeoutMs);
  if (response.ok) return (await answer(response, cancelledSchema)).status;
  // 404: no booking under the reference; 409: the parcel is already on its way. Anything else is retried.
  if (response.status === 404 || response.status === 409) return (await answer(response, cancelRefusalSchema)).code;
  throw new CarrierUnavailableError(`carrier answered ${response.status}`);
}
