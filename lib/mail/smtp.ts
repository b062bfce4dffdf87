// Delivers queued emails over SMTP when SMTP_URL is configured (e.g. smtp://user:pass@host:587).
// Each row is claimed with SKIP LOCKED, so two server processes never send the same email.
import "server-only";
import nodemailer from "nodemailer";
import { z } from "zod";
import { env, type Config } from "@/lib/config/env";
import type { Db } from "@/lib/db/client";

export function smtpTransport(config: Config = env()) {
  if (!config.SMTP_URL) return null;
  return { transport: nodemailer.createTransport(config.SMTP_URL), from: config.MAIL_FROM };
}

export async function sendPendingEmails(db: Db, smtp: NonNullable<ReturnType<typeof smtpTransport>>, batch = 20): Promise<number> {
  const due = await db.$queryRaw<{ id: string; to: string; subject: string; text: string; html: string | null; headers: unknown; attempts: number }[]>`
    UPDATE "EmailMessage" SET "attempts" = "attempts" + 1
    WHERE "id" IN (
      SELECT "id" FROM "EmailMessage"
      -- Backs off while the SMTP server is failing (5 s, 10 s, 20 s … up to an hour after queuing), never gives up.
      WHERE "status" = 'PENDING' AND "createdAt" + make_interval(secs => least(3600, 5 * (power(2, "attempts") - 1))) <= now()
      ORDER BY "createdAt" LIMIT ${batch} FOR UPDATE SKIP LOCKED)
    RETURNING "id", "to", "subject", "text", "html", "headers", "attempts"`;
  let sent = 0;
  for (const email of due) {
    try {
      const headers = z.record(z.string(), z.string()).nullable().parse(email.headers);
      await smtp.transport.sendMail({ from: smtp.from, to: email.to, subject: email.subject, text: email.text, ...(email.html ? { html: email.html } : {}), ...(headers ? { headers } : {}) });
      await db.emailMessage.update({ where: { id: email.id }, data: { status: "SENT", sentAt: new Date() } });
      sent++;
    } catch (e) {
      console.error(`[mail] sending ${email.id} failed (attempt ${email.attempts}); it stays queued`, e instanceof Error ? e.message : e);
    }
  }
  return sent;
}
