// What a customer was told about a change, read where it arrived: the local SMTP capture (emails),
// the Twilio-format SMS stand-in (texts) and the message centre, in the customer's own browser.
// One business event is one message: one entry in the message centre, one email per address and
// one text, on exactly the channels the customer's preferences (or, for a security notice, the
// rules) say. A message is told apart from the others by its links, which name it (/m/<id>.<channel>.…).
import type { APIRequestContext, Page } from "@playwright/test";
import type { MessageType } from "../../lib/notify/catalogue";
import { SMS_STAND_IN_URL, SMTP_CAPTURE_HTTP_URL } from "./env";
import { BACKGROUND, expect } from "./fixtures";
import { query } from "./portal-db";
import type { StandInText } from "./sms-stand-in";
import type { CapturedMail } from "./smtp-capture";

export type Recipient = { userId: string; email: string; phone?: string };
/** The channels besides the message centre, which always holds the message. */
export type Delivery = "email" | "sms";

/** Emails the SMTP capture has received for one address. */
export async function mailTo(request: APIRequestContext, to: string): Promise<CapturedMail[]> {
  const response = await request.get(`${SMTP_CAPTURE_HTTP_URL}/_messages?to=${encodeURIComponent(to)}`);
  expect(response.ok()).toBe(true);
  return (await response.json()) as CapturedMail[];
}

/** Texts the SMS stand-in has received for one number. */
export async function textsTo(request: APIRequestContext, to: string): Promise<StandInText[]> {
  const response = await request.get(`${SMS_STAND_IN_URL}/_messages?to=${encodeURIComponent(to)}`);
  expect(response.ok()).toBe(true);
  return (await response.json()) as StandInText[];
}

export type Told = { subject: string; email?: CapturedMail; text?: StandInText };

/**
 * Waits until the customer has been told of each type in `expected` and checks each was told once:
 * one entry in their message centre (opened once, in another tab of their browser, so the walk's own
 * page stays where it is), one email to each address (`alsoEmail`: the old sign-in address of a
 * security notice) when its channels have email, one text to their phone when they have sms, and
 * nothing queued on a channel they leave out. The email's subject is the message centre's heading.
 * Returns, per type, that subject and the email and text, for a walk to read further.
 */
export async function expectMessagedOnce<T extends MessageType>(page: Page, customer: Recipient, expected: Record<T, Delivery[]>, options: { alsoEmail?: string[] } = {}): Promise<Record<T, Told>> {
  const types = Object.keys(expected) as T[];
  const notifications = () => query<{ id: string; type: T }>(`SELECT "id", "type" FROM "Notification" WHERE "userId" = $1 AND "type" = ANY($2)`, [customer.userId, types]);
  await expect.poll(async () => new Set((await notifications()).map((n) => n.type)).size, { ...BACKGROUND, message: `not all of ${types.join(", ")} told` }).toBe(types.length);
  const told = await notifications();
  expect(told.map((n) => n.type).toSorted(), "a message was told more than once").toEqual(types.toSorted());

  const centre = await page.context().newPage();
  await centre.goto("/messages");
  const subjects = new Map<string, string>();
  for (const { id, type } of told) {
    const entry = centre.getByTestId("messages").getByRole("listitem").filter({ has: centre.locator(`a[href="/messages/${id}"]`) });
    await expect(entry, `${type} in the message centre`).toHaveCount(1);
    subjects.set(id, (await entry.getByRole("heading").textContent())!.trim());
  }
  await centre.close();

  const result = {} as Record<T, Told>;
  for (const { id, type } of told) {
    const subject = subjects.get(id)!;
    const channels = expected[type];
    // Links name the message and the channel: /m/<notification id>.<channel>.<signature>.
    const names = (channel: Delivery) => (text: string) => text.includes(`/m/${id}.${channel}.`);
    // Queued in the same transaction as the message itself: none now means none ever.
    const queued = async (channel: Delivery) =>
      (await query(`SELECT 1 FROM "OutboxMessage" WHERE "dedupeKey" = $1 OR "dedupeKey" LIKE $2`, [`notify.${channel}:${id}`, `notify.${channel}:${id}:%`])).length;

    let email: CapturedMail | undefined;
    if (channels.includes("email")) {
      for (const to of [customer.email, ...(options.alsoEmail ?? [])]) {
        await expect.poll(async () => (await mailTo(page.request, to)).filter((m) => names("email")(m.html)).map((m) => m.subject), { ...BACKGROUND, message: `${type} by email to ${to}` }).toEqual([subject]);
      }
      email = (await mailTo(page.request, customer.email)).find((m) => names("email")(m.html));
    } else {
      expect(await queued("email"), `${type} must not go by email`).toBe(0);
    }

    let text: StandInText | undefined;
    if (channels.includes("sms")) {
      if (!customer.phone) throw new Error("a text message needs the customer's phone number");
      const phone = customer.phone;
      await expect.poll(async () => (await textsTo(page.request, phone)).filter((t) => names("sms")(t.body)).length, { ...BACKGROUND, message: `${type} by text to ${phone}` }).toBe(1);
      text = (await textsTo(page.request, phone)).find((t) => names("sms")(t.body));
    } else {
      expect(await queued("sms"), `${type} must not go by text`).toBe(0);
    }
    result[type] = { subject, email, text };
  }
  return result;
}

/** Checks that the customer was never told of `type` (e.g. news already told inside another event's message). */
export async function expectNotMessaged(customer: Pick<Recipient, "userId">, type: MessageType) {
  expect(await query(`SELECT 1 FROM "Notification" WHERE "userId" = $1 AND "type" = $2`, [customer.userId, type]), `${type} was told`).toHaveLength(0);
}
