// Delivers queued emails over SMTP when SMTP_URL is configured (e.g. smtp://user:pass@host:587).
// Each row is claimed with SKIP LOCKED and a lease, so two workers never send the same email at once.
import "server-only";
import nodemailer from "nodemailer";
import { z } from "zod";
import { env, type Config } from "@/lib/config/env";
import type { Db } from "@/lib/db/client";
import { backoffSeconds } from "@/lib/outbox/outbox";

export function smtpTransport(config: Config = env()) {
  if (!config.SMTP_URL) return null;
  return { transport: nodemailer.createTransport(config.SMTP_URL), from: config.MAIL_FROM };
}

type QueuedEmail = { id: string; to: string; subject: string; text: string; html: string | null; headers: unknown; attempts: number };

/**
 * Claims the oldest due email with a lease: no other worker takes it over unless this one has not
 * sent it by then. One at a time, so the lease covers one send, never a batch still waiting its turn.
 */
async function claimOne(db: Db): Promise<QueuedEmail | undefined> {
  const [email] = await db.$queryRaw<QueuedEmail[]>`
    UPDATE "EmailMessage" SET "attempts" = "attempts" + 1, "nextAttemptAt" = now() + make_interval(secs => ${env().OUTBOX_LEASE_SECONDS})
    WHERE "id" = (
      SELECT "id" FROM "EmailMessage"
      WHERE "status" = 'PENDING' AND "nextAttemptAt" <= now()
      ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING "id", "to", "subject", "text", "html", "headers", "attempts"`;
  return email;
}

export async function sendPendingEmails(db: Db, smtp: NonNullable<ReturnType<typeof smtpTransport>>, batch = 20): Promise<number> {
  let sent = 0;
  for (let n = 0; n < batch; n++) {
    const email = await claimOne(db);
    if (!email) break;
    try {
      // A stable Message-ID: sent again after a worker died between sending and recording it, the
      // email is recognisably the same message (mail servers and clients drop the repeat).
      // Extra headers of a templated message (List-Unsubscribe on optional updates), written by lib/notify.
      const headers = z.record(z.string(), z.string()).nullable().parse(email.headers);
      await smtp.transport.sendMail({ messageId: `<${email.id}@waymark.email>`, from: smtp.from, to: email.to, subject: email.subject, text: email.text, ...(email.html ? { html: email.html } : {}), ...(headers ? { headers } : {}) });
      await db.emailMessage.update({ where: { id: email.id }, data: { status: "SENT", sentAt: new Date() } });
      sent++;
    } catch (e) {
      // Backs off like the outbox (5 s, 10 s, 20 s … an hour) and never gives up; the rest wait for the next run.
      console.error(`[mail] sending ${email.id} failed (attempt ${email.attempts}); it stays queued`, e instanceof Error ? e.message : e);
      await db.emailMessage.update({ where: { id: email.id }, data: { nextAttemptAt: new Date(Date.now() + backoffSeconds(email.attempts) * 1000) } });
      break;
    }
  }
  return sent;
}
