// A stand-in for Twilio's Messages API, for tests (plain node:http). It checks OUR side of the
// contract of lib/integrations/sms.ts: POST /2010-04-01/Accounts/{AccountSid}/Messages.json,
// HTTP basic auth with that account SID, a form-encoded body with To (E.164), From or
// MessagingServiceSid, and Body; it answers 201 with a message resource as Twilio does, and errors
// in Twilio's shape ({code, message, more_info, status}). It is not Twilio.
//
// Run standalone (Playwright webServer):  npx tsx e2e/support/sms-stand-in.ts --port 12114 --account-sid AC… --auth-token …
// From Vitest:                            const sms = await startSmsStandIn({ port: 0, accountSid, authToken });
//
// Inspection and control, under `/_`: GET /_health · GET /_messages[?to=+44…] ·
// POST /_control/down {"down": true|false} — an outage: every send answers 503 until it is lifted.
import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseArgs } from "node:util";
import { readBody, runStandIn, sendJson, serveStandIn } from "./stand-in-http";

export type StandInText = { sid: string; to: string; from: string; body: string; dateCreated: string };

export interface SmsStandIn {
  url: string;
  port: number;
  messages(): StandInText[];
  setDown(down: boolean): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024;

function twilioError(res: ServerResponse, status: number, code: number, message: string) {
  sendJson(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

export async function startSmsStandIn(options: { port?: number; host?: string; accountSid: string; authToken: string }): Promise<SmsStandIn> {
  const texts: StandInText[] = [];
  let down = false;
  const expectedAuth = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString("base64")}`;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    try {
      if (url.pathname === "/_health") return sendJson(res, 200, { status: "ok" });
      if (url.pathname === "/_messages") {
        const to = url.searchParams.get("to");
        return sendJson(res, 200, to ? texts.filter((t) => t.to === to) : texts);
      }
      if (url.pathname === "/_control/down" && req.method === "POST") {
        down = Boolean((JSON.parse((await readBody(req, MAX_BODY_BYTES)).toString("utf8") || "{}") as { down?: unknown }).down);
        return sendJson(res, 200, { down });
      }
      const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(url.pathname);
      if (!match || req.method !== "POST") return twilioError(res, 404, 20404, "The requested resource was not found");
      if (req.headers.authorization !== expectedAuth || decodeURIComponent(match[1]) !== options.accountSid) return twilioError(res, 401, 20003, "Authenticate");
      if (down) return twilioError(res, 503, 20500, "Service unavailable");
      if (!String(req.headers["content-type"]).startsWith("application/x-www-form-urlencoded")) return twilioError(res, 400, 21619, "A text message body is required");
      const form = new URLSearchParams((await readBody(req, MAX_BODY_BYTES)).toString("utf8"));
      const to = form.get("To") ?? "";
      const from = form.get("From") ?? form.get("MessagingServiceSid") ?? "";
      const body = form.get("Body") ?? "";
      if (!/^\+[1-9]\d{6,14}$/.test(to)) return twilioError(res, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
      if (!from) return twilioError(res, 400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message");
      if (!body || body.length > 1600) return twilioError(res, 400, 21617, "The concatenated message body exceeds the 1600 character limit");
      const text: StandInText = { sid: `SM${crypto.randomBytes(16).toString("hex")}`, to, from, body, dateCreated: new Date().toUTCString() };
      texts.push(text);
      return sendJson(res, 201, {
        sid: text.sid,
        account_sid: options.accountSid,
        to,
        from,
        body,
        status: "queued",
        num_segments: String(Math.ceil(body.length / 153)),
        direction: "outbound-api",
        api_version: "2010-04-01",
        date_created: text.dateCreated,
        uri: `/2010-04-01/Accounts/${options.accountSid}/Messages/${text.sid}.json`,
      });
    } catch {
      return twilioError(res, 400, 20001, "Invalid request");
    }
  };
  const served = await serveStandIn("SMS stand-in", handle, { host: options.host ?? "127.0.0.1", port: options.port, crashed: (res) => twilioError(res, 500, 20500, "Internal Server Error") });
  return {
    url: served.url,
    port: served.port,
    messages: () => [...texts],
    setDown: (value) => {
      down = value;
    },
    close: served.close,
  };
}

runStandIn(
  import.meta.url,
  async () => {
    const { values } = parseArgs({
      options: { port: { type: "string", default: "12114" }, host: { type: "string", default: "127.0.0.1" }, "account-sid": { type: "string" }, "auth-token": { type: "string" } },
    });
    if (!values["account-sid"] || !values["auth-token"]) throw new Error("usage: sms-stand-in.ts --account-sid AC… --auth-token … [--port 12114] [--host 127.0.0.1]");
    return startSmsStandIn({ port: Number(values.port), host: values.host, accountSid: values["account-sid"], authToken: values["auth-token"] });
  },
  (url) => `[sms-stand-in] listening on ${url}`,
);
