// What became of a message: sent on each channel, opened (message centre; the email's pixel only for
// customers who allow analytics) and clicked (through the signed /m/<token> link, into the page it is
// about), once each, in the portal and, for customers who allow analytics, as PostHog events that
// carry no personal data.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverNotificationEmails } from "@/lib/notify/delivery";
import { clickUrl, messageToken, openPixelUrl } from "@/lib/notify/links";
import { openMessage } from "@/lib/notify/message-centre";
import { followMessageLink, recordEmailOpened } from "@/lib/notify/message-trail";
import { cancelOrderLines } from "@/lib/orders/cancellation";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { queuedPostHogEvents } from "../support/posthog-queue";
import { createCustomer, createOrder } from "../support/orders";

const LINKS = { baseUrl: "https://portal.waymark.example", key: crypto.randomBytes(16).toString("hex") };
let database: FreshDatabase;

beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

/** A cancelled order, told by email (rendered as the worker does) and in the message centre. */
async function toldCustomer(analyticsConsent: boolean) {
  const customer = await createCustomer(database.db, "Trail Customer");
  await database.db.user.update({ where: { id: customer.id }, data: { analyticsConsent } });
  const order = await createOrder(database.db, customer.id);
  const actor = { userId: customer.id, distinctId: customer.analyticsId, deviceClass: "DESKTOP" as const, consent: analyticsConsent };
  await cancelOrderLines(database.db, { userId: customer.id, orderNumber: order.number, request: { lines: order.lines.map((l) => ({ lineId: l.id, quantity: l.quantity })) }, journeyId: crypto.randomUUID(), actor });
  await deliverNotificationEmails(database.db, LINKS);
  const message = await database.db.notification.findFirstOrThrow({ where: { userId: customer.id } });
  const email = await database.db.emailMessage.findFirstOrThrow({ where: { userId: customer.id } });
  return { customer, order, message, email };
}

const eventsOf = async (notificationId: string) => (await database.db.messageEvent.findMany({ where: { notificationId } })).map((e) => `${e.kind}:${e.channel}`).toSorted();
const postHogEvents = async (distinctId: string) =>
  (await queuedPostHogEvents(database.db)).filter((p) => p.distinctId === distinctId && p.event.startsWith("message_"));

describe("a message's trail", () => {
  it("records sent, opened and clicked once per channel, the click leading to the page the message is about", async () => {
    const { customer, order, message, email } = await toldCustomer(true);
    // The button goes through the click recorder; the open pixel is there (the customer allows analytics).
    const click = clickUrl(LINKS, message.id, "email");
    expect(email.html).toContain(`href="${click}"`);
    expect(email.html).toContain(`src="${openPixelUrl(LINKS, message.id)}"`);

    const token = click.split("/m/")[1];
    expect(await followMessageLink(database.db, LINKS.key, token)).toBe(`/orders/${order.number}`);
    expect(await followMessageLink(database.db, LINKS.key, token)).toBe(`/orders/${order.number}`);
    await recordEmailOpened(database.db, LINKS.key, token);
    await recordEmailOpened(database.db, LINKS.key, token);
    expect(await openMessage(database.db, customer.id, message.id)).toBe(`/orders/${order.number}`);
    await deliverNotificationEmails(database.db, LINKS);

    expect(await eventsOf(message.id)).toEqual(["CLICKED:email", "CLICKED:portal", "OPENED:email", "OPENED:portal", "SENT:email", "SENT:portal"]);
    const forwarded = await postHogEvents(customer.analyticsId);
    expect(forwarded.map((p) => `${p.event}:${p.properties.channel}`).toSorted()).toEqual([
      "message_clicked:email",
      "message_clicked:portal",
      "message_opened:email",
      "message_opened:portal",
      "message_sent:email",
      "message_sent:portal",
    ]);
    // The type, channel and journey it leads into; nothing that names or reaches the customer.
    expect(forwarded.find((p) => p.event === "message_clicked")!.properties).toEqual({ message_type: "order_cancelled", channel: "email", journey_type: "order_tracking", source: "server" });
    const sent = JSON.stringify(forwarded);
    for (const personal of [customer.email!, customer.name, message.id]) expect(sent).not.toContain(personal);
  });

  it("asks nothing of a customer who declined analytics: no pixel in the email, no open recorded, nothing to PostHog", async () => {
    const { customer, message, email } = await toldCustomer(false);
    expect(email.html).not.toContain("/open");
    await recordEmailOpened(database.db, LINKS.key, messageToken(LINKS.key, message.id, "email"));
    const token = clickUrl(LINKS, message.id, "email").split("/m/")[1];
    expect(await followMessageLink(database.db, LINKS.key, token)).not.toBeNull();
    expect(await eventsOf(message.id)).toEqual(["CLICKED:email", "SENT:email", "SENT:portal"]);
    expect(await postHogEvents(customer.analyticsId)).toEqual([]);
  });

  it("records nothing for a forged or altered link", async () => {
    const { message } = await toldCustomer(true);
    const forged = messageToken("someone-elses-key", message.id, "email");
    const altered = messageToken(LINKS.key, message.id, "email").replace(".email.", ".sms.");
    for (const token of [forged, altered, "nonsense", `${message.id}.email`]) expect(await followMessageLink(database.db, LINKS.key, token)).toBeNull();
    await recordEmailOpened(database.db, LINKS.key, forged);
    expect(await eventsOf(message.id)).toEqual(["SENT:email", "SENT:portal"]);
  });
});
