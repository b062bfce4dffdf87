import { afterEach, describe, expect, it } from "vitest";
import { bookReturnShipment } from "@/lib/integrations/carrier";
import { startDemoCarrier, type DemoCarrier } from "./demo-carrier";

const from = { fullName: "Demo Customer", line1: "1 High Street", line2: null, city: "London", postalCode: "WC1N 1AP", country: "GB" };

describe("the embedded demo's carrier", () => {
  let carrier: DemoCarrier | null = null;
  afterEach(async () => {
    await carrier?.close();
    carrier = null;
  });

  it("books a return's drop-off code for the embedded demo when no carrier is configured", async () => {
    carrier = await startDemoCarrier({ CARRIER_API_BASE: undefined }, { embedded: true });
    expect(carrier?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const booked = await bookReturnShipment({ baseUrl: carrier!.url, apiKey: null }, { idempotencyKey: "return:RT-100001", reference: "RT-100001", method: "DROP_OFF", from });
    expect(booked.dropOffCode).toMatch(/\S{4,}/);
  });

  it("is never started for a deployment or beside a configured carrier", async () => {
    expect(await startDemoCarrier({ CARRIER_API_BASE: undefined }, { embedded: false })).toBeNull();
    expect(await startDemoCarrier({ CARRIER_API_BASE: "https://carrier.example/api" }, { embedded: true })).toBeNull();
  });
});
