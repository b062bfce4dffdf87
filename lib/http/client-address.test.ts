import type { IncomingMessage } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import {
  CLIENT_ADDRESS_HEADER,
  LOCAL_REQUEST_HEADER,
  budgetKey,
  clientAddress,
  deriveClientAddress,
  isLocalRequest,
  isLoopback,
  normaliseAddress,
  stampClientAddress,
  withClientAddress,
} from "./client-address";

const FRONT_FLAG = Symbol.for("waymark.http-front");

function request(remoteAddress: string | undefined, headers: Record<string, string | string[]> = {}) {
  return { socket: { remoteAddress }, headers: { ...headers } } as unknown as IncomingMessage;
}

describe("deriveClientAddress", () => {
  it("with no trusted proxy, is the socket's address whatever X-Forwarded-For says", () => {
    expect(deriveClientAddress("203.0.113.7", undefined, 0)).toBe("203.0.113.7");
    expect(deriveClientAddress("203.0.113.7", "198.51.100.1", 0)).toBe("203.0.113.7");
    expect(deriveClientAddress("203.0.113.7", ["10.0.0.1, 10.0.0.2", "10.0.0.3"], 0)).toBe("203.0.113.7");
  });

  it("behind one proxy, is the address that proxy appended, not what the client wrote before it", () => {
    // The client sent "X-Forwarded-For: 1.2.3.4"; our proxy (10.0.0.5) appended the real 203.0.113.7.
    expect(deriveClientAddress("10.0.0.5", "1.2.3.4, 203.0.113.7", 1)).toBe("203.0.113.7");
    expect(deriveClientAddress("10.0.0.5", "203.0.113.7", 1)).toBe("203.0.113.7");
  });

  it("behind two proxies, counts two entries from the right", () => {
    // client -> CDN (appends client) -> load balancer (appends CDN) -> portal
    expect(deriveClientAddress("10.0.0.9", "6.6.6.6, 203.0.113.7, 192.0.2.44", 2)).toBe("203.0.113.7");
    // Repeated headers are one list, in order.
    expect(deriveClientAddress("10.0.0.9", ["6.6.6.6", "203.0.113.7, 192.0.2.44"], 2)).toBe("203.0.113.7");
  });

  it("with fewer entries than trusted hops, takes the leftmost there is", () => {
    expect(deriveClientAddress("10.0.0.5", undefined, 2)).toBe("10.0.0.5");
    expect(deriveClientAddress("10.0.0.5", "203.0.113.7", 3)).toBe("203.0.113.7");
  });

  it("normalises how an address is written and refuses what is not an address", () => {
    expect(deriveClientAddress("::ffff:203.0.113.7", undefined, 0)).toBe("203.0.113.7");
    expect(deriveClientAddress("10.0.0.5", " [2001:DB8::1]:443 ", 1)).toBe("2001:db8::1");
    expect(deriveClientAddress("10.0.0.5", "203.0.113.7:51234", 1)).toBe("203.0.113.7");
    expect(deriveClientAddress("10.0.0.5", "evil, <script>", 1)).toBe("unknown");
    expect(deriveClientAddress(undefined, undefined, 0)).toBe("unknown");
    expect(normaliseAddress("::1")).toBe("::1");
    expect(normaliseAddress("::ffff:cb00:7107")).toBe("203.0.113.7");
  });
});

describe("budgetKey: whom a per-client budget counts", () => {
  it("counts an IPv6 client by its /64, however it rotates the other 64 bits or writes the address", () => {
    const rotated = ["2001:db8:abcd:12::1", "2001:db8:abcd:12:8f3e:1c2b:99a0:7d41", "2001:0DB8:ABCD:0012:ffff:ffff:ffff:ffff", "[2001:db8:abcd:12::beef]:443", "2001:db8:abcd:12:0:0:0:0"];
    expect(new Set(rotated.map(budgetKey))).toEqual(new Set(["2001:db8:abcd:12::/64"]));
    // The next /64 is another client.
    expect(budgetKey("2001:db8:abcd:13::1")).toBe("2001:db8:abcd:13::/64");
    expect(budgetKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(budgetKey("::1")).toBe("0:0:0:0::/64");
  });

  it("counts an IPv4 client, written plainly or as IPv4-mapped IPv6, by its own address", () => {
    for (const written of ["203.0.113.7", "::ffff:203.0.113.7", "::FFFF:cb00:7107", "[::ffff:203.0.113.7]:8080", "0:0:0:0:0:ffff:203.0.113.7"]) expect(budgetKey(written), written).toBe("203.0.113.7");
    expect(budgetKey("203.0.113.8")).toBe("203.0.113.8");
    expect(budgetKey("not an address")).toBe("unknown");
  });

  it("is what the app's budgets read, while the front stamps the full address", () => {
    try {
      const clients = ["2001:db8:1:2::a", "2001:db8:1:2:3:4:5:6"].map((address) => request(address));
      for (const client of clients) withClientAddress(0, () => {})(client, {} as never);
      expect(clients.map((c) => c.headers[CLIENT_ADDRESS_HEADER])).toEqual(["2001:db8:1:2::a", "2001:db8:1:2:3:4:5:6"]);
      expect(clients.map((c) => clientAddress(c.headers))).toEqual(["2001:db8:1:2::/64", "2001:db8:1:2::/64"]);
    } finally {
      delete (globalThis as Record<symbol, unknown>)[FRONT_FLAG];
    }
  });
});

describe("stampClientAddress and the app's readers", () => {
  afterEach(() => {
    delete (globalThis as Record<symbol, unknown>)[FRONT_FLAG];
  });

  it("replaces whatever a client wrote in the stamped headers", () => {
    const forged = request("203.0.113.7", { [CLIENT_ADDRESS_HEADER]: "127.0.0.1", [LOCAL_REQUEST_HEADER]: "1", "x-forwarded-for": "127.0.0.1" });
    withClientAddress(0, () => {})(forged, {} as never);
    expect(clientAddress(forged.headers)).toBe("203.0.113.7");
    expect(isLocalRequest(forged.headers)).toBe(false);
  });

  it("keeps a client's own X-Forwarded-Host (the host a server action's Origin is checked against) only through a trusted proxy", () => {
    const direct = request("203.0.113.7", { host: "portal.example", "x-forwarded-host": "evil.example" });
    stampClientAddress(direct, 0);
    expect(direct.headers["x-forwarded-host"]).toBeUndefined();
    expect(direct.headers.host).toBe("portal.example");
    const proxied = request("10.0.0.2", { host: "10.0.0.5:3000", "x-forwarded-host": "portal.example", "x-forwarded-for": "203.0.113.7" });
    stampClientAddress(proxied, 1);
    expect(proxied.headers["x-forwarded-host"]).toBe("portal.example");
  });

  it("calls a request local only from a loopback socket that nobody relayed", () => {
    withClientAddress(0, () => {});
    for (const loopback of ["127.0.0.1", "::1", "::ffff:127.0.0.1"]) {
      const direct = request(loopback);
      stampClientAddress(direct, 0);
      expect(isLocalRequest(direct.headers), loopback).toBe(true);
    }
    // A reverse proxy on this machine connects from loopback too, on behalf of someone else.
    for (const relay of ["x-forwarded-for", "forwarded", "x-real-ip"]) {
      const proxied = request("127.0.0.1", { [relay]: "203.0.113.7" });
      stampClientAddress(proxied, 1);
      expect(isLocalRequest(proxied.headers), relay).toBe(false);
    }
    const remote = request("192.0.2.10");
    stampClientAddress(remote, 0);
    expect(isLocalRequest(remote.headers)).toBe(false);
    expect(isLoopback("127.10.0.1")).toBe(true);
    expect(isLoopback("128.0.0.1")).toBe(false);
  });

  it("believes nothing without the front in the process (a bare `next start`)", () => {
    const headers = { [CLIENT_ADDRESS_HEADER]: "198.51.100.23", [LOCAL_REQUEST_HEADER]: "1" };
    expect(clientAddress(headers)).toBe("unknown");
    expect(isLocalRequest(headers)).toBe(false);
    expect(clientAddress(new Headers(headers))).toBe("unknown");
  });
});
