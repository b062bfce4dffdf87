import type { IncomingMessage } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER, LOCAL_REQUEST_HEADER, withClientAddress } from "@/lib/http/client-address";
import { parseConfig } from "@/lib/config/env";
import { mayShowDevMailbox } from "./dev-mailbox";

const FRONT_FLAG = Symbol.for("waymark.http-front");
const ON = parseConfig({ WAYMARK_DEV_MAILBOX: "1" });

/** The headers the app sees for a request that reached the front from `remoteAddress`. */
function seenByApp(remoteAddress: string, headers: Record<string, string> = {}) {
  const incoming = { socket: { remoteAddress }, headers: { host: "localhost:3000", ...headers } } as unknown as IncomingMessage;
  withClientAddress(0, () => {})(incoming, {} as never);
  return incoming.headers;
}

describe("the local mailbox", () => {
  afterEach(() => {
    delete (globalThis as Record<symbol, unknown>)[FRONT_FLAG];
  });

  it("is shown only when switched on, to a browser on this machine", () => {
    expect(mayShowDevMailbox(seenByApp("127.0.0.1"), ON)).toBe(true);
    expect(mayShowDevMailbox(seenByApp("::1"), ON)).toBe(true);
    // Not switched on: the default, whatever the database.
    expect(mayShowDevMailbox(seenByApp("127.0.0.1"), parseConfig({}))).toBe(false);
    // Only 1 switches it on; anything else stops the portal at start instead of guessing.
    expect(() => parseConfig({ WAYMARK_DEV_MAILBOX: "true" })).toThrow(/WAYMARK_DEV_MAILBOX is invalid: must be 1 \(on\) or 0 \(off\)/);
  });

  it("is never shown to another machine, whatever headers it sends", () => {
    expect(mayShowDevMailbox(seenByApp("192.0.2.40"), ON)).toBe(false);
    expect(mayShowDevMailbox(seenByApp("192.0.2.40", { [LOCAL_REQUEST_HEADER]: "1", [CLIENT_ADDRESS_HEADER]: "127.0.0.1", "x-forwarded-for": "127.0.0.1" }), ON)).toBe(false);
    // Relayed by a reverse proxy on this machine: the socket is loopback, the visitor is not.
    expect(mayShowDevMailbox(seenByApp("127.0.0.1", { "x-forwarded-for": "192.0.2.40" }), ON)).toBe(false);
  });

  it("is never shown to another site's page that points its own name at this machine (DNS rebinding)", () => {
    for (const host of ["localhost", "localhost:3000", "127.0.0.1:3000", "[::1]:3000"]) expect(mayShowDevMailbox(seenByApp("127.0.0.1", { host }), ON)).toBe(true);
    for (const host of ["rebind.attacker.example:3000", "localhost.attacker.example", "127.0.0.1.nip.io:3000", ""]) expect(mayShowDevMailbox(seenByApp("127.0.0.1", { host }), ON)).toBe(false);
  });

  it("is never shown without the portal's front (a bare `next start` cannot tell who is local)", () => {
    expect(mayShowDevMailbox({ [LOCAL_REQUEST_HEADER]: "1" }, ON)).toBe(false);
  });
});
