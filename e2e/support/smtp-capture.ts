// A local mail server for tests: accepts every message over SMTP (smtp-server, nodemailer's own,
// no TLS, no auth) and keeps it, parsed (mailparser), for tests to read. The portal sends to it
// exactly as to a real server (SMTP_URL=smtp://127.0.0.1:<port>), so nothing about sending is mocked.
//
// Run standalone (Playwright webServer):  npx tsx e2e/support/smtp-capture.ts --port 12115 --http-port 12116
// From Vitest:                            const mail = await startSmtpCapture({ port: 0 });
//
// Inspection over HTTP (standalone only): GET /_health · GET /_messages[?to=someone@example.com]
import { createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { runStandIn, sendJson } from "./stand-in-http";

export type CapturedMail = { from: string; to: string[]; subject: string; text: string; html: string; headers: Record<string, string>; messageId: string };

export interface SmtpCapture {
  url: string;
  port: number;
  messages(to?: string): CapturedMail[];
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

export async function startSmtpCapture(options: { port?: number; host?: string } = {}): Promise<SmtpCapture> {
  const mails: CapturedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            headers: Object.fromEntries(parsed.headerLines.map((h) => [h.key, h.line.slice(h.line.indexOf(":") + 1).trim()])),
            messageId: parsed.messageId ?? "",
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolveListen) => server.listen(options.port ?? 0, host, resolveListen));
  // Once listening, smtp-server reports a client's broken connection (a worker killed mid-message) as
  // the server's "error" event, which would otherwise crash the process the capture runs in; a mail server goes on.
  server.on("error", () => {});
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://${host}:${port}`,
    port,
    messages: (to) => mails.filter((m) => !to || m.to.includes(to)),
    close: () => new Promise((resolveClose) => server.close(() => resolveClose())),
  };
}

// The captured messages are read over HTTP by the tests (`/_messages?to=`), beside the SMTP port.
runStandIn(
  import.meta.url,
  async () => {
    const { values } = parseArgs({ options: { port: { type: "string", default: "12115" }, "http-port": { type: "string", default: "12116" }, host: { type: "string", default: "127.0.0.1" } } });
    const capture = await startSmtpCapture({ port: Number(values.port), host: values.host });
    const reader = createHttpServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://capture");
      if (url.pathname === "/_health") return sendJson(res, 200, { status: "ok" });
      if (url.pathname === "/_messages") return sendJson(res, 200, capture.messages(url.searchParams.get("to") ?? undefined));
      sendJson(res, 404, { error: "not found" });
    });
    await new Promise<void>((listening) => reader.listen(Number(values["http-port"]), values.host, listening));
    return {
      url: `${capture.url}, messages at http://${values.host}:${values["http-port"]}/_messages`,
      close: async () => {
        await new Promise((closed) => reader.close(closed));
        await capture.close();
      },
    };
  },
  (url) => `[smtp-capture] SMTP on ${url}`,
);
