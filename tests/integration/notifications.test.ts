// Customers hear of each change once, by the channels they chose: the domain functions queue the
// message with the change, the worker's deliveries render it and send it to a real SMTP server
// (a local capture) and to a Twilio-format SMS stand-in over HTTP.
import crypto from "node:crypto";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changePassword } from "@/lib/accounts/profile";
import { formatMoney } from "@/lib/format/money";
import type { SmsConfig } from "@/lib/integrations/sms";
import { sendPendingEmails } from "@/lib/mail/smtp";
import { deliverNotificationEmails, deliverNotificationTexts } from "@/lib/notify/delivery";
import { customerMessages, openMessage } from "@/lib/notify/message-centre";
import { clickUrl } from "@/lib/notify/links";
import { NOTIFY_SMS_TOPIC } from "@/lib/notify/notify";
import { cancelOrderLines } from "@/lib/orders/cancellation";
import { trailFor } from "@/lib/privacy/test-fixtures";
import { startSmsStandIn, type SmsStandIn } from "../../e2e/support/sms-stand-in";
import { startSmtpCapture, type SmtpCapture } from "../../e2e/support/smtp-capture";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { createCustomer, createOrder } from "../support/orders";

const PUBLIC_URL = "https://portal.waymark.example";
const LINKS = { baseUrl: PUBLIC_URL, key: crypto.randomBytes(16).toString("hex") };
const ACCOUNT_SID = `AC${crypto.randomBytes(16).toString("hex")}`;
const AUTH_TOKEN = crypto.randomBytes(16).toString("hex");

let database: FreshDatabase;
let sms: SmsStandIn;
let mail: SmtpCapture;
let smsConfig: SmsConfig;
let smtp: Parameters<typeof sendPendingEmails>[1];

beforeAll(async () => {
  [database, sms, mail] = await Promise.all([freshDatabase(), startSmsStandIn({ port: 0, accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN }), startSmtpCapture({ port: 0 })]);
  smsConfig = { apiBase: sms.url, accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: "+15005550006" };
  smtp = { transport: nodemailer.createTransport(mail.url), from: "Waymark <no-reply@waymark.example>" };
});
afterAll(async () => {
  await Promise.all([sms.close(), mail.close()]);
  await database.drop();
});

/** A customer who chose order updates by text message too (email is on by default). */
async function customerWithPhone(phone: string) {
  const customer = await createCustomer(database.db, "Texting Customer");
  await database.db.user.update({ where: { id: customer.id }, data: { phone } });
  await database.db.consentRecord.create({ data: { userId: customer.id, purpose: "ORDER_UPDATES", channel: "SMS", granted: true } });
  return customer;
}

function cancelWhole(customer: { id: string; analyticsId: string }, order: { number: string; lines: { id: string; quantity: number }[] }, journeyId = crypto.randomUUID()) {
  return cancelOrderLines(database.db, {
    userId: customer.id,
    orderNumber: order.number,
    request: { lines: order.lines.map((l) => ({ lineId: l.id, quantity: l.quantity })) },
    journeyId,
    actor: { userId: customer.id, distinctId: customer.analyticsId, deviceClass: "DESKTOP", consent: true },
  });
}

/** What the worker does on each tick, as often as a test likes: redeliveries must change nothing. */
async function workerTick() {
  await deliverNotificationEmails(database.db, LINKS);
  await sendPendingEmails(database.db, smtp);
  await deliverNotificationTexts(database.db, smsConfig, LINKS);
}

describe("a message for a change", () => {
  it("tells a cancelled order once: by email (HTML and text, linking to the order at the public URL), by text and in the message centre", async () => {
    const customer = await customerWithPhone("+44 7700 900123");
    const order = await createOrder(database.db, customer.id);
    const journeyId = crypto.randomUUID();
    expect(await cancelWhole(customer, order, journeyId)).toMatchObject({ ok: true, replayed: false });
    // The same form sent again is the same event: nothing more is queued.
    expect(await cancelWhole(customer, order, journeyId)).toMatchObject({ ok: true, replayed: true });
    await workerTick();
    // A render redelivered after a crash (its outbox row put back) queues no second email.
    await database.db.outboxMessage.updateMany({ where: { topic: "notify.email" }, data: { status: "PENDING", nextAttemptAt: new Date() } });
    await workerTick();

    const centre = await database.db.notification.findMany({ where: { userId: customer.id } });
    expect(centre.map((n) => n.type)).toEqual(["order_cancelled"]);

    const refund = formatMoney(order.totalMinor, "EUR");
    // Links go through the click recorder on the public URL, one per channel.
    const link = clickUrl(LINKS, centre[0].id, "email");
    expect(link.startsWith(`${PUBLIC_URL}/m/`)).toBe(true);
    const emails = mail.messages(customer.email!);
    expect(emails.map((m) => m.subject)).toEqual([`Your order ${order.number} is cancelled`]);
    expect(emails[0].html).toContain(`href="${link}"`);
    expect(emails[0].html).toContain(refund);
    expect(emails[0].text).toContain(link);
    expect(emails[0].text).toContain(`We are refunding ${refund}`);

    const texts = sms.messages().filter((t) => t.to === "+447700900123");
    expect(texts.map((t) => t.body)).toEqual([`Your order ${order.number} is cancelled. Refund: ${refund}. ${clickUrl(LINKS, centre[0].id, "sms")}`]);
    expect(texts[0].from).toBe("+15005550006");
  });

  it("follows the customer's choices for order updates, but always sends a security notice", async () => {
    const customer = await createCustomer(database.db, "Quiet Customer");
    await database.db.consentRecord.create({ data: { userId: customer.id, purpose: "ORDER_UPDATES", channel: "EMAIL", granted: false } });
    const order = await createOrder(database.db, customer.id);
    await cancelWhole(customer, order);
    await changePassword(database.db, { userId: customer.id, sessionId: "this-device" }, "a-brand-new-password", trailFor(customer));
    await workerTick();

    // Both are in the message centre; only the security notice came by email.
    expect((await database.db.notification.findMany({ where: { userId: customer.id }, orderBy: { createdAt: "asc" } })).map((n) => n.type)).toEqual(["order_cancelled", "password_changed"]);
    expect(mail.messages(customer.email!).map((m) => m.subject)).toEqual(["Your Waymark password was changed"]);
    const notice = await database.db.notification.findFirstOrThrow({ where: { userId: customer.id, type: "password_changed" } });
    expect(mail.messages(customer.email!)[0].text).toContain(clickUrl(LINKS, notice.id, "email"));
  });
});

describe("the message centre", () => {
  it("shows a customer only their own messages; another customer's message id opens nothing and stays unread", async () => {
    const owner = await createCustomer(database.db, "Owner Customer");
    const other = await createCustomer(database.db, "Other Customer");
    const order = await createOrder(database.db, owner.id);
    await cancelWhole(owner, order);
    const [message] = await customerMessages(database.db, owner.id, { timeZone: null });
    expect(message).toMatchObject({ subject: `Your order ${order.number} is cancelled`, read: false, action: { path: `/orders/${order.number}` } });
    expect(await customerMessages(database.db, other.id, { timeZone: null })).toEqual([]);

    expect(await openMessage(database.db, other.id, message.id)).toBeNull();
    const readFlag = async () => (await customerMessages(database.db, owner.id, { timeZone: null })).find((m) => m.id === message.id)?.read;
    expect(await readFlag()).toBe(false);
    expect(await openMessage(database.db, owner.id, message.id)).toBe(`/orders/${order.number}`);
    expect(await readFlag()).toBe(true);
  });
});

describe("an SMS provider outage", () => {
  it("only delays the texts: none lost, none doubled once it is back", async () => {
    const phone = "+44 7700 900456";
    const customer = await customerWithPhone(phone);
    const orders = [await createOrder(database.db, customer.id), await createOrder(database.db, customer.id), await createOrder(database.db, customer.id)];
    for (const order of orders) await cancelWhole(customer, order);
    const ours = { topic: NOTIFY_SMS_TOPIC, payload: { path: ["to"], equals: phone } };

    sms.setDown(true);
    // Tick after tick during the outage: each failed attempt backs off, nothing is sent or dropped.
    for (let tick = 0; tick < 3; tick++) {
      await database.db.outboxMessage.updateMany({ where: { ...ours, status: "PENDING" }, data: { nextAttemptAt: new Date() } });
      await deliverNotificationTexts(database.db, smsConfig, LINKS);
    }
    const during = await database.db.outboxMessage.findMany({ where: ours });
    expect(during.map((r) => r.status)).toEqual(["PENDING", "PENDING", "PENDING"]);
    expect(during.some((r) => r.nextAttemptAt > new Date() && r.lastError?.includes("503"))).toBe(true);
    expect(sms.messages().filter((t) => t.to === "+447700900456")).toEqual([]);

    sms.setDown(false);
    // The backoff has run out; two workers deliver side by side, and keep ticking after the queue is empty.
    await database.db.outboxMessage.updateMany({ where: { ...ours, status: "PENDING" }, data: { nextAttemptAt: new Date() } });
    for (let tick = 0; tick < 3; tick++) {
      await Promise.all([deliverNotificationTexts(database.db, smsConfig, LINKS), deliverNotificationTexts(database.db, smsConfig, LINKS)]);
    }
    const bodies = sms
      .messages()
      .filter((t) => t.to === "+447700900456")
      .map((t) => t.body);
    const told = await database.db.notification.findMany({ where: { userId: customer.id } });
    const idOf = (orderNumber: string) => told.find((n) => (n.data as { orderNumber: string }).orderNumber === orderNumber)!.id;
    expect(bodies.toSorted()).toEqual(orders.map((o) => `Your order ${o.number} is cancelled. Refund: ${formatMoney(o.totalMinor, "EUR")}. ${clickUrl(LINKS, idOf(o.number), "sms")}`).toSorted());
    expect((await database.db.outboxMessage.findMany({ where: ours })).map((r) => r.status)).toEqual(["DELIVERED", "DELIVERED", "DELIVERED"]);
  });
});
