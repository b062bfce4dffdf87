// The embedded demo's carrier. With no carrier configured, a return's label, drop-off code or
// pickup waits in the outbox for one (as it must on a deployment: /agent/health says so). On the
// embedded demo that left every return walked in the demo waiting forever, so `npm start` there
// books them (and calls off those cancelled) with the stand-in carrier the tests use
// (e2e/support/carrier-stand-in.ts), in the start process, on 127.0.0.1. A deployment (DATABASE_URL) or a configured carrier never gets it.
import type { Config } from "../../lib/config/env";
import { startCarrierStandIn } from "../../e2e/support/carrier-stand-in";

export type DemoCarrier = { url: string; close(): Promise<void> };

export async function startDemoCarrier(config: Pick<Config, "CARRIER_API_BASE">, database: { embedded: boolean }): Promise<DemoCarrier | null> {
  if (!database.embedded || config.CARRIER_API_BASE) return null;
  const carrier = await startCarrierStandIn({ port: 0, host: "127.0.0.1" });
  return { url: carrier.url, close: () => carrier.close() };
}
