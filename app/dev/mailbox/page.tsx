import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { formatDateTime } from "@/lib/format/date";
import { DEV_MAILBOX_WARNING, mayShowDevMailbox } from "@/lib/mail/dev-mailbox";

export const metadata: Metadata = { title: "Local mailbox" };
export const dynamic = "force-dynamic";

// An address as typed, without control characters (PostgreSQL refuses a NUL in text).
const filterSchema = z.object({ to: z.string().trim().toLowerCase().max(254).regex(/^[^\u0000-\u001f\u007f]*$/).optional() });

// The demo's inbox: only when switched on with WAYMARK_DEV_MAILBOX=1, and only for a browser on
// this machine (lib/mail/dev-mailbox.ts). Filter with ?to=<address>.
export default async function MailboxPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (!mayShowDevMailbox(await headers())) notFound();
  const filter = filterSchema.safeParse(await searchParams);
  if (!filter.success) notFound();
  const { to } = filter.data;
  const messages = await db().emailMessage.findMany({ where: to ? { to } : {}, orderBy: { createdAt: "desc" }, take: 50 });
  return (
    <div className="stack">
      <h1>Local mailbox</h1>
      <p className="notice warn" role="note">{DEV_MAILBOX_WARNING}</p>
      <p className="muted">Emails Waymark would send. Configure SMTP_URL to deliver them for real.</p>
      {messages.length === 0 ? <p className="muted">No emails yet.</p> : null}
      {messages.map((message) => (
        <article key={message.id} className="card" data-testid="email">
          <h2>{message.subject}</h2>
          <p className="muted">
            To {message.to} · {formatDateTime(message.createdAt, "UTC")}
          </p>
          <pre className="mail-text">{linkify(message.text)}</pre>
        </article>
      ))}
    </div>
  );
}

function linkify(text: string) {
  return text.split(/(https?:\/\/\S+)/g).map((part, i) => (/^https?:\/\//.test(part) ? <a key={i} href={part}>{part}</a> : part));
}
