// Every email is first a row (in the same transaction as what caused it); a worker sends it over
// SMTP when SMTP_URL is configured. Without SMTP the dev mailbox page, when switched on, shows the rows.
import type { Prisma } from "@/lib/generated/prisma/client";
import { env } from "@/lib/config/env";

type Tx = Prisma.TransactionClient;

export async function queueEmail(tx: Tx, email: { userId?: string | null; to: string; subject: string; text: string }) {
  const row = await tx.emailMessage.create({ data: { userId: email.userId ?? null, to: email.to, subject: email.subject, text: email.text } });
  if (!env().SMTP_URL) console.info(`[mail] queued "${email.subject}" for ${maskEmail(email.to)}: ${env().WAYMARK_DEV_MAILBOX ? "read it at /dev/mailbox on this machine" : "set SMTP_URL to send it, or WAYMARK_DEV_MAILBOX=1 to read it at /dev/mailbox"}`);
  return row;
}

/** Logs must not carry whole addresses. */
export function maskEmail(email: string): string {
  const [local, domain] = email.split("@");
  return `${local.slice(0, 1)}***@${domain ?? ""}`;
}
