import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { signInSchema } from "@/lib/accounts/schemas";
import { knownDeviceCookie, knownDeviceToken } from "@/lib/auth/known-device";
import { authOptions } from "@/lib/auth/options";
import { opensSession } from "@/lib/auth/session-cookie";
import { env, publicUrl } from "@/lib/config/env";
import { hasEncodedBody, mediaType, readCappedBody } from "@/lib/http/body";
import { isJson } from "@/lib/http/input";

const handler = NextAuth(authOptions);

/** Sign-in, sign-out and the CSRF exchange post a few hundred bytes. */
const MAX_AUTH_BODY_BYTES = 16 * 1024;

const refuse = (status: 400 | 413 | 415, text: string) => new Response(text, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

/** What next-auth's client and forms send; next-auth answered anything else with 400 "[object Object]". */
const READABLE_TYPES = ["application/x-www-form-urlencoded", "application/json"];

/**
 * next-auth reads a POST's body whole, whatever its size, and parses a JSON one without catching a
 * failure: a body that was not JSON was answered 500. These, a body of another type and a
 * compressed one (next-auth read gzip as a form without its fields, and sent the browser to sign
 * in again) are refused here first; what passes reaches next-auth as sent.
 */
async function POST(request: NextRequest, context: RouteContext<"/api/auth/[...nextauth]">) {
  const body = await readCappedBody(request, MAX_AUTH_BODY_BYTES);
  if (!body) return refuse(413, "This request is too large.");
  if (body.length > 0 && hasEncodedBody(request.headers)) return refuse(415, "Send this uncompressed, as a form or as JSON.");
  const type = mediaType(request.headers.get("content-type"));
  if (body.length > 0 && !READABLE_TYPES.includes(type)) return refuse(415, "Send this as a form or as JSON.");
  if (type === "application/json" && !isJson(body.toString("utf8"))) return refuse(400, "Bad request: the body is not valid JSON.");
  const response: Response = await handler(new NextRequest(request.url, { method: "POST", headers: request.headers, body: body.length > 0 ? new Uint8Array(body) : undefined }), context);
  const { nextauth } = await context.params;
  return nextauth.join("/") === "callback/credentials" ? rememberDevice(response, body.toString("utf8"), type) : response;
}

/** A right password makes this browser known for the account (lib/auth/known-device.ts): a new token with every sign-in. */
function rememberDevice(response: Response, body: string, type: string): Response {
  const secret = env().NEXTAUTH_SECRET;
  if (!secret || !opensSession(response.headers)) return response;
  const fields = type === "application/json" ? (JSON.parse(body) as unknown) : Object.fromEntries(new URLSearchParams(body));
  const signedIn = signInSchema.safeParse(fields);
  if (!signedIn.success) return response;
  const headers = new Headers(response.headers);
  headers.append("set-cookie", knownDeviceCookie(knownDeviceToken(secret, signedIn.data.email), publicUrl().startsWith("https://")));
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

export { handler as GET, POST };
