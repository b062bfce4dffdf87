// The SMS provider seam: text messages go out through Twilio's Messages API (POST
// /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded To/From/Body, HTTP basic auth with
// the account SID and auth token). SMS_API_BASE points it elsewhere: the test stand-in
// (e2e/support/sms-stand-in.ts) or any provider speaking the same format. Without credentials the
// messages wait in the outbox.
import { z } from "zod";
import { env, type Config } from "@/lib/config/env";

export type SmsConfig = { apiBase: string; accountSid: string; authToken: string; from: string; timeoutMs?: number };

const configSchema = z.object({
  apiBase: z.url({ protocol: /^https?$/, error: "SMS_API_BASE must be an http(s) URL" }),
  accountSid: z.string().regex(/^AC[0-9a-zA-Z]{8,64}$/, "TWILIO_ACCOUNT_SID must start with AC"),
  authToken: z.string().min(8, "TWILIO_AUTH_TOKEN is too short"),
  from: z.string().min(3, "SMS_FROM must be a phone number (+447700900123) or a messaging service SID (MG…)"),
});

/** Null when not configured (the messages then wait in the outbox); throws when half or wrongly configured. */
export function smsConfig(config: Config = env()): SmsConfig | null {
  const { TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken } = config;
  if (!accountSid && !authToken) return null;
  const parsed = configSchema.safeParse({ apiBase: config.SMS_API_BASE, accountSid, authToken, from: config.SMS_FROM ?? "" });
  // Messages only, never the values: they may hold secrets.
  if (!parsed.success) throw new Error(`SMS configuration is invalid: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  return { ...parsed.data, apiBase: parsed.data.apiBase.replace(/\/$/, "") };
}

/** Numbers are kept as the customer typed them; the provider wants E.164 (+ and digits). */
export function toE164(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, "");
  return digits.startsWith("00") ? `+${digits.slice(2)}` : digits;
}

const REQUEST_TIMEOUT_MS = 10_000;

/** Sends one text; throws (for the outbox to retry) unless the provider accepted it. Errors never carry the number or the credentials. */
export async function sendSms(config: SmsConfig, message: { to: string; body: string }): Promise<{ sid: string }> {
  const form = new URLSearchParams({ To: toE164(message.to), Body: message.body });
  form.set(config.from.startsWith("MG") ? "MessagingServiceSid" : "From", config.from);
  let response: Response;
  try {
    response = await fetch(`${config.apiBase}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body: form.toString(),
      signal: AbortSignal.timeout(config.timeoutMs ?? REQUEST_TIMEOUT_MS),
    });
  } catch (e) {
    const cause = e instanceof Error ? ((e.cause as { code?: unknown } | undefined)?.code ?? e.name) : "error";
    throw new Error(`SMS provider unreachable (${String(cause)})`);
  }
  const body = (await response.json().catch(() => null)) as { sid?: unknown; code?: unknown } | null;
  if (response.status !== 201 && response.status !== 200) throw new Error(`SMS provider answered ${response.status}${body?.code ? ` (error ${String(body.code)})` : ""}`);
  if (typeof body?.sid !== "string") throw new Error("SMS provider answered without a message sid");
  return { sid: body.sid };
}
