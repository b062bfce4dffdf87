// The carrier seam: booking a return shipment (printable label, drop-off code or pickup) over HTTP
// against CARRIER_API_BASE. Tests and the demo point it at a local stand-in
// (e2e/support/carrier-stand-in.ts). The booking carries an idempotency key derived from the
// return, so a retry after a timeout books nothing twice.
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

export async function bookReturnShipment(config: CarrierConfig, request: ReturnShipmentRequest, timeoutMs = config.timeoutMs ?? 4000): Promise<ReturnShipment> {
  let response: Response;
  try {
    response = await fetch(`${config.baseUrl}/v1/return-shipments`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "idempotency-key": request.idempotencyKey,
        ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}),
      },
      body: JSON.stringify({ reference: request.reference, method: request.method, from: request.from }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new CarrierUnavailableError(`carrier unreachable: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!response.ok) throw new CarrierUnavailableError(`carrier answered ${response.status}`);
  const parsed = shipmentSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new CarrierUnavailableError("carrier answered with an unexpected body");
  return parsed.data;
}
