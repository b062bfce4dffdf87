// Who is on the other end of a request, for per-client budgets and pages meant for this machine only.
// The socket is the only truth. X-Forwarded-For is believed only through the proxies we run
// ourselves (TRUST_PROXY_HOPS), read from the right: each trusted proxy appends the address it saw,
// while a client can write anything at the left of that header.
//
// Next.js does not show route handlers the socket (request.ip is gone since Next 15, and `next start`
// keeps a client's own X-Forwarded-For), so our HTTP front (scripts/serve.ts) derives the address
// from the socket and writes it into headers of its own, replacing whatever a client sent in them.
import type { IncomingMessage, RequestListener } from "node:http";
import { z } from "zod";

/** The client's address as derived by the front; a client-sent value never survives it. */
export const CLIENT_ADDRESS_HEADER = "x-waymark-client-address";
/** "1" when the request came straight from this machine (loopback socket, relayed by nobody). */
export const LOCAL_REQUEST_HEADER = "x-waymark-local-request";

// Headers a proxy adds when it relays a request: a proxy on this machine also has a loopback socket.
const RELAY_HEADERS = ["x-forwarded-for", "forwarded", "x-real-ip"];
// Set by the front in its own process, so a bare `next start` (no front) cannot be fooled by the headers.
const FRONT_FLAG = Symbol.for("waymark.http-front");
const UNKNOWN = "unknown";
const ipSchema = z.union([z.ipv4(), z.ipv6()]);

/**
 * An address as written canonically enough to compare: ports, brackets and an IPv6 zone dropped,
 * lower case, IPv4-mapped IPv6 (either spelling) as plain IPv4; "unknown" for what is not one.
 */
export function normaliseAddress(raw: string): string {
  let address = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(":"));
  address = address.replace(/%[\w.-]+$/, "").toLowerCase();
  if (!ipSchema.safeParse(address).success) return UNKNOWN;
  const groups = address.includes(":") ? ipv6Groups(address) : null;
  const mapped = groups && groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  return mapped ? [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join(".") : address;
}

/**
 * The key a per-client budget counts under: an IPv4 address as it is, an IPv6 address as its /64.
 * An IPv6 client is given a whole /64 (its network's prefix; the host picks the other 64 bits
 * itself, and privacy extensions change them daily), so keyed by the full address it could take a
 * new one for every attempt and never run out of budget. The /64 is the smallest part of the
 * address space one client can be told apart by.
 */
export function budgetKey(address: string): string {
  const normalised = normaliseAddress(address);
  if (!normalised.includes(":")) return normalised;
  return `${ipv6Groups(normalised).slice(0, 4).map((g) => g.toString(16)).join(":")}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address ("::" expanded, a dotted IPv4 tail included). */
function ipv6Groups(address: string): number[] {
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  const hex = tail ? `${address.slice(0, tail.index)}${((+tail[1] << 8) | +tail[2]).toString(16)}:${((+tail[3] << 8) | +tail[4]).toString(16)}` : address;
  const [head, rest] = hex.split("::");
  const parse = (part: string | undefined) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(rest);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * The client's address: the socket peer when no proxy is trusted; behind `trustedHops` proxies,
 * the entry that the outermost trusted proxy appended to X-Forwarded-For. Entries further left
 * were written by the client (or proxies nobody vouches for) and are never used.
 */
export function deriveClientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trustedHops: number): string {
  const forwarded = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor ?? "").split(",").filter((entry) => entry.trim() !== "");
  const chain = [...forwarded, socketAddress ?? ""];
  return normaliseAddress(chain[Math.max(chain.length - 1 - trustedHops, 0)]);
}

export function isLoopback(address: string | undefined): boolean {
  const normalised = normaliseAddress(address ?? "");
  return normalised === "::1" || /^127\.\d+\.\d+\.\d+$/.test(normalised);
}

/** The front: wraps the app's request listener so every request is stamped before the app sees it. */
export function withClientAddress(trustedHops: number, app: RequestListener): RequestListener {
  markFrontInProcess();
  return (request, response) => {
    stampClientAddress(request, trustedHops);
    app(request, response);
  };
}

export function stampClientAddress(request: IncomingMessage, trustedHops: number): void {
  const socketAddress = request.socket.remoteAddress;
  const relayed = RELAY_HEADERS.some((name) => request.headers[name] !== undefined);
  // The host a client says it asked for: Next.js compares a server action's Origin with it before
  // Host. Only a proxy of ours may say so.
  if (trustedHops === 0) delete request.headers["x-forwarded-host"];
  request.headers[CLIENT_ADDRESS_HEADER] = deriveClientAddress(socketAddress, request.headers["x-forwarded-for"], trustedHops);
  request.headers[LOCAL_REQUEST_HEADER] = isLoopback(socketAddress) && !relayed ? "1" : "0";
}

/** Declares that this process serves through the front, so the stamped headers can be believed. */
function markFrontInProcess(): void {
  (globalThis as Record<symbol, unknown>)[FRONT_FLAG] = true;
}

/** Headers as a fetch Request holds them (or anything with the same `get`). */
export type HeaderGetter = { get(name: string): string | null };
export type HeaderSource = HeaderGetter | Record<string, string | string[] | undefined> | undefined;

export function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof headers.get === "function") return (headers as HeaderGetter).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

let warnedNoFront = false;

/**
 * The requesting client as per-client budgets count it (its budgetKey: an IPv6 client's /64), from
 * the address stamped by the front. Without the front (a bare `next start`) nothing about the
 * client can be believed: every client then shares one budget, which is safe but strict, and the
 * log says why. Budgets are all it is used for; nothing shows a client's address to anyone.
 */
export function clientAddress(headers: HeaderSource): string {
  if (!(globalThis as Record<symbol, unknown>)[FRONT_FLAG]) {
    if (!warnedNoFront) console.warn("[waymark] client addresses are unknown (not started with `npm start`): all clients share one rate-limit budget");
    warnedNoFront = true;
    return UNKNOWN;
  }
  return budgetKey(readHeader(headers, CLIENT_ADDRESS_HEADER) ?? UNKNOWN);
}

/** True only for a request the front saw arrive from this machine directly. */
export function isLocalRequest(headers: HeaderSource): boolean {
  return Boolean((globalThis as Record<symbol, unknown>)[FRONT_FLAG]) && readHeader(headers, LOCAL_REQUEST_HEADER) === "1";
}
