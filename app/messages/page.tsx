import type { Metadata } from "next";
import { SubmitButton } from "@/components/form";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { formatDate } from "@/lib/format/date";
import { customerMessages } from "@/lib/notify/message-centre";
import { markAllReadAction } from "./actions";

export const metadata: Metadata = { title: "Messages" };

export default async function MessagesPage() {
  const principal = await requireCustomer("/messages");
  const messages = await customerMessages(db(), principal.userId, principal);
  const unread = messages.filter((m) => !m.read).length;
  return (
    <div className="stack">
      <div className="row">
        <h1>Messages</h1>
        {unread > 0 ? (
          <form action={markAllReadAction}>
            <SubmitButton className="button secondary" pendingLabel="Marking…">Mark all as read</SubmitButton>
          </form>
        ) : null}
      </div>
      <p className="muted">Everything we have told you about your orders, returns and account, including what we sent by email or text message.</p>
      {messages.length === 0 ? (
        <p className="card muted">No messages yet. When something changes with an order, a return or your account, you find it here.</p>
      ) : (
        <ul className="list card" data-testid="messages">
          {messages.map((m) => (
            <li key={m.id} className="stack" data-unread={m.read ? undefined : "true"}>
              <div className="row">
                <h2 className="message-subject">{m.subject}</h2>
                {m.read ? null : <span className="badge">New</span>}
              </div>
              <span className="muted small"><time dateTime={m.createdAt.toISOString()}>{formatDate(m.createdAt, principal.timeZone)}</time></span>
              {m.paragraphs.map((p) => <p key={p}>{p}</p>)}
              <a href={`/messages/${m.id}`} aria-label={`${m.action.label}: ${m.subject}`}>{m.action.label}</a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
