import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendPendingEmails } from "@/lib/mail/smtp";
import { freshDatabase, type FreshDatabase } from "../support/db";

let database: FreshDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

describe("queued emails", () => {
  it("stay queued while the mail server fails, and go once when it works", async () => {
    await database.db.emailMessage.create({ data: { to: "someone@example.com", subject: "Your case is resolved", text: "Hello" } });
    const failing = { transport: nodemailer.createTransport({ host: "127.0.0.1", port: 1, connectionTimeout: 200 }), from: "test@example.com" };
    expect(await sendPendingEmails(database.db, failing)).toBe(0);
    const [queued] = await database.db.emailMessage.findMany();
    expect([queued.status, queued.attempts]).toEqual(["PENDING", 1]);

    const sentMail: string[] = [];
    const working = { transport: nodemailer.createTransport({ jsonTransport: true }), from: "test@example.com" };
    const send = working.transport.sendMail.bind(working.transport);
    working.transport.sendMail = (async (mail: { subject?: string }) => {
      sentMail.push(String(mail.subject));
      return send(mail);
    }) as typeof working.transport.sendMail;
    // Not before its backoff has passed …
    expect(await sendPendingEmails(database.db, working)).toBe(0);
    await database.db.emailMessage.updateMany({ data: { nextAttemptAt: new Date(Date.now() - 1000) } });
    // … then exactly once.
    expect(await sendPendingEmails(database.db, working)).toBe(1);
    expect(await sendPendingEmails(database.db, working)).toBe(0);
    expect(sentMail).toEqual(["Your case is resolved"]);
    expect((await database.db.emailMessage.findFirstOrThrow()).status).toBe("SENT");
  });

  it("go once when two workers reach an old email at the same time, with a Message-ID of their own", async () => {
    const email = await database.db.emailMessage.create({ data: { to: "late@example.com", subject: "Queued a while ago", text: "Hello", createdAt: new Date(Date.now() - 10 * 60_000) } });
    const sent: { messageId?: string }[] = [];
    const transport = nodemailer.createTransport({ jsonTransport: true });
    const send = transport.sendMail.bind(transport);
    // A slow mail server: the first worker is still sending when the second looks.
    transport.sendMail = (async (mail: { messageId?: string }) => {
      sent.push(mail);
      await new Promise((resolve) => setTimeout(resolve, 300));
      return send(mail);
    }) as typeof transport.sendMail;
    const smtp = { transport, from: "test@example.com" };
    const first = sendPendingEmails(database.db, smtp);
    await expect.poll(() => sent.length).toBe(1);
    expect(await sendPendingEmails(database.db, smtp)).toBe(0);
    expect(await first).toBe(1);
    expect(sent).toEqual([expect.objectContaining({ messageId: `<${email.id}@waymark.email>` })]);
  });
});
