// The HTTP front's side of lib/http/page-policy.ts: every request for a page, a route handler or a
// server action is decided here before Next.js handles it (security headers, the nonce's policy,
// a 400 for a malformed address, a 403, 413 or 415 for a server action Next.js would fail on,
// /signin's redirect for the signed-in), and marked so proxy.ts, which would decide the same at
// several times the cost, is skipped. A server action whose headers pass goes on unmarked: proxy.ts
// decides it, reading its body, which Next.js buffers for a proxy (the front would have to hold it).
import type http from "node:http";
import { RequestCookies } from "next/dist/server/web/spec-extension/cookies";
import { decidePage, FRONT_DECIDED_HEADER, needsPagePolicy } from "../../lib/http/page-policy";
import { servedOverHttps } from "../../lib/http/security-headers";
import { headersOf, urlOf } from "./node-request";

type Handle = (request: http.IncomingMessage, response: http.ServerResponse) => Promise<void>;

export async function answerThroughPagePolicy(incoming: http.IncomingMessage, outgoing: http.ServerResponse, handle: Handle): Promise<void> {
  // Only this front may say it decided: a client's claim would skip the proxy under `next start`.
  delete incoming.headers[FRONT_DECIDED_HEADER];
  const url = urlOf(incoming);
  if (!needsPagePolicy(url.pathname)) return handle(incoming, outgoing);
  const headers = headersOf(incoming);
  const decision = await decidePage({ method: incoming.method ?? "GET", pathname: url.pathname, search: url.search, https: servedOverHttps({ url: url.href, headers }), cookies: new RequestCookies(headers as Headers), headers });
  if (decision.kind === "refused") return void outgoing.writeHead(decision.status, decision.headers).end(decision.text);
  if (decision.kind === "redirect") return void outgoing.writeHead(307, { ...decision.headers, location: decision.to }).end();
  if (decision.kind === "body-unread") return handle(incoming, outgoing);
  for (const [name, value] of Object.entries(decision.requestHeaders)) incoming.headers[name] = value;
  incoming.headers[FRONT_DECIDED_HEADER] = "1";
  for (const [name, value] of Object.entries(decision.headers)) outgoing.setHeader(name, value);
  return handle(incoming, outgoing);
}
