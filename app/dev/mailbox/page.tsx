import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { db } from "@/lib/db/client";
import { formatDate } from "@/lib/format/money";

export const metadata: Metadata = { title: "Local mailbox" };
export const dynamic = "force-dynamic";

// The demo's inbox: only when WAYMARK_DEV_MAILBOX=1 (set by `npm start` on the embedded
// database, never in production). Filter with ?to=<address>.
export default async function MailboxPage({ searchParams }: { searchParams: Promise<{ to?: string }> }) {
  if (process.env.WAYMARK_DEV_MAILBOX !== "1") notFound();
  const { to } = await searchParams;
  const messages = await db().emailMessage.findMany({ where: to ? { to: to.toLowerCase() } : {}, orderBy: { createdAt: "desc" }, take: 50 });
  return (
    <div className="stack">
      <h1>Local mailbox</h1>
      <p className="muted">Emails Waymark would send. Configure SMTP_URL to deliver them for real.</p>
      {messages.length === 0 ? <p className="muted">No emails yet.</p> : null}
      {messages.map((message) => (
        <article key={message.id} className="card" data-testid="email">
          <h2>{message.subject}</h2>
          <p className="muted">
            To {message.to} · {formatDate(message.createdAt)} {message.createdAt.toISOString().slice(11, 16)} UTC
          </p>
          <pre style={{ whiteSpace: "pre-wrap", fontFamily: "inherit" }}>{linkify(message.text)}</pre>
        </article>
      ))}
    </div>
  );
}

function linkify(text: string) {
  return text.split(/(https?:\/\/\S+)/g).map((part, i) => (/^https?:\/\//.test(part) ? <a key={i} href={part}>{part}</a> : part));
}
