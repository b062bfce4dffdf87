// One-click unsubscribe from optional updates, over real HTTP: the heads-up email (sent to a real
// SMTP server, the local capture) carries List-Unsubscribe and List-Unsubscribe-Post; the mail
// client's anonymous POST to that URL turns the purpose off, and the next heads-up is not emailed.
// Forged tokens, other bodies and floods change nothing.
import crypto from "node:crypto";
import http from "node:http";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spend } from "@/lib/auth/rate-limit";
import { sendPendingEmails } from "@/lib/mail/smtp";
import { deliverNotificationEmails } from "@/lib/notify/delivery";
import { runProactiveNotices } from "@/lib/notify/proactive";
import { handleOneClick } from "@/lib/notify/unsubscribe";
import { cancelOrderLines } from "@/lib/orders/cancellation";
import { startSmtpCapture, type SmtpCapture } from "../../e2e/support/smtp-capture";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { createCustomer, createOrder } from "../support/orders";

const DAY = 86_400_000;
let database: FreshDatabase;
let mail: SmtpCapture;
let portal: http.Server;
let links: { baseUrl: string; key: string };

// The portal's route as Next.js runs it: a Request in, a Response out, the client address from the socket.
function startPortal(key: string): Promise<string> {
  const serve = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: req.method === "POST" ? Buffer.concat(chunks) : undefined });
    const token = decodeURIComponent(req.url!.replace(/^\/unsubscribe\//, ""));
    const response = await handleOneClick(request, token, { db: database.db, key, spend: (client) => spend(database.db, [["unsubscribe:client", client]]), clientAddress: req.socket.remoteAddress ?? "unknown" });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(await response.text());
  };
  portal = http.createServer((req, res) => void serve(req, res));
  return new Promise((resolve) => portal.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(portal.address() as { port: number }).port}`)));
}

beforeAll(async () => {
  [database, mail] = await Promise.all([freshDatabase(), startSmtpCapture({ port: 0 })]);
  const key = crypto.randomBytes(16).toString("hex");
  links = { baseUrl: await startPortal(key), key };
});
afterAll(async () => {
  await Promise.all([mail.close(), new Promise((resolve) => portal.close(resolve))]);
  await database.drop();
});

async function workerTick() {
  await runProactiveNotices(database.db, new Date(), 0);
  await deliverNotificationEmails(database.db, links);
  await sendPendingEmails(database.db, { transport: nodemailer.createTransport(mail.url), from: "Waymark <no-reply@waymark.example>" });
}

async function lateOrder(userId: string) {
  const order = await createOrder(database.db, userId);
  await database.db.order.update({ where: { id: order.id }, data: { promisedDeliveryAt: new Date(Date.now() - 2 * DAY) } });
  return order;
}

const oneClick = (url: string, body = "List-Unsubscribe=One-Click") => fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });

describe("one-click unsubscribe", () => {
  it("turns heads-ups off from the email's own header; order updates keep coming", async () => {
    const customer = await createCustomer(database.db);
    const first = await lateOrder(customer.id);
    await workerTick();
    const [headsUp] = mail.messages(customer.email!);
    expect(headsUp.subject).toBe(`Order ${first.number} is running late`);
    expect(headsUp.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    const url = /^<(https?:\/\/[^>]+)>$/.exec(headsUp.headers["list-unsubscribe"] ?? "")?.[1] ?? "";
    expect(url.startsWith(`${links.baseUrl}/unsubscribe/`)).toBe(true);
    expect(headsUp.html).toContain(`href="${url}"`);

    // A changed body or a forged token does nothing; the real request works, and again.
    expect((await oneClick(url, "List-Unsubscribe=Everything")).status).toBe(400);
    expect((await oneClick(url.replace(/.$/, (c) => (c === "A" ? "B" : "A")))).status).toBe(404);
    const answer = await oneClick(url);
    expect([answer.status, await answer.text()]).toEqual([200, expect.stringContaining("Unsubscribed")]);
    expect((await oneClick(url)).status).toBe(200);
    const latest = await database.db.consentRecord.findMany({ where: { userId: customer.id, purpose: "PROACTIVE_NOTICES" } });
    expect(latest.map((c) => [c.channel, c.granted])).toEqual([["EMAIL", false]]);

    // The next heads-up is in the message centre only; a change the customer makes is still emailed, without the header.
    const second = await lateOrder(customer.id);
    const cancelled = await createOrder(database.db, customer.id);
    const actor = { userId: customer.id, distinctId: customer.analyticsId, deviceClass: "DESKTOP" as const, consent: true };
    await cancelOrderLines(database.db, { userId: customer.id, orderNumber: cancelled.number, request: { lines: cancelled.lines.map((l) => ({ lineId: l.id, quantity: l.quantity })) }, journeyId: crypto.randomUUID(), actor });
    await workerTick();
    expect(await database.db.notification.count({ where: { userId: customer.id, type: "late_order", data: { path: ["orderNumber"], equals: second.number } } })).toBe(1);
    const emails = mail.messages(customer.email!);
    expect(emails.map((m) => m.subject)).toEqual([headsUp.subject, `Your order ${cancelled.number} is cancelled`]);
    expect(emails[1].headers["list-unsubscribe"]).toBeUndefined();
  });

  it("is rate-limited per client, and a flood unsubscribes nobody", async () => {
    const forged = `${links.baseUrl}/unsubscribe/unsubscribe.someone.PROACTIVE_NOTICES.AAAAAAAAAAAAAAAAAAAAAA`;
    const statuses = [];
    for (let i = 0; i < 40; i++) statuses.push((await oneClick(forged)).status);
    expect(statuses.filter((s) => s === 404).length).toBeLessThanOrEqual(30);
    expect(statuses.at(-1)).toBe(429);
  });
});
