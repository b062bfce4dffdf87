import type { Metadata } from "next";
import Link from "@/components/link";
import { requireStaff } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { DOWN_AFTER_MINUTES, formatAge, outboxQueueStats, stuckMessages } from "@/lib/integrations/health";
import { ReplayButton, ReplayForm } from "./replay-form";
import { countOf } from "@/lib/format/plural";

export const metadata: Metadata = { title: "Undelivered messages" };
export const dynamic = "force-dynamic";

export default async function OutboxPage({ searchParams }: { searchParams: Promise<{ topic?: string | string[] }> }) {
  await requireStaff("AGENT");
  const requested = (await searchParams).topic;
  const topics = (Array.isArray(requested) ? requested : requested ? [requested] : []).filter((t) => t.length > 0 && t.length <= 100).slice(0, 20);
  const now = new Date();
  const [{ messages, total, dead }, stats] = await Promise.all([stuckMessages(db(), { topics, now }), outboxQueueStats(db())]);
  const knownTopics = [...new Set([...stats.keys(), ...topics])].sort();

  return (
    <div className="stack">
      <p className="back-link">
        <Link href="/agent/health">← Integration health</Link>
      </p>
      <h1>Undelivered messages</h1>
      <p className="muted">
        Messages the portal gave up on after its last retry, and messages failing for more than {DOWN_AFTER_MINUTES} minutes (those are still retried by themselves). Replay a
        dead letter once the service is back: it is sent again with a fresh set of retries, and receivers ignore a copy they already have.
      </p>

      <form className="card filters" method="get" role="search">
        <div className="field">
          <label htmlFor="topic-filter">Topic</label>
          <select id="topic-filter" name="topic" defaultValue={topics.length === 1 ? topics[0] : ""}>
            <option value="">All topics</option>
            {knownTopics.map((topic) => (
              <option key={topic} value={topic}>
                {topic}
              </option>
            ))}
          </select>
        </div>
        <div className="filter-actions">
          <button className="button secondary" type="submit">Show</button>
        </div>
      </form>

      {/* Always mounted, so the outcome of a replay stays on screen after the list updates. */}
      <ReplayForm topics={topics}>
        {messages.length === 0 ? (
          <p className="notice ok" role="status">
            {topics.length ? `Nothing stuck for ${topics.join(", ")}.` : "Nothing stuck: every queued message is delivered or still within its retries."}
          </p>
        ) : (
          <>
            <p className="row">
              <span>
                {total > messages.length ? `The ${messages.length} oldest of ${total}` : countOf(total, "message")}, {dead} dead.
              </span>
              {topics.length && dead > 0 ? <ReplayButton name="scope" value="topics" label={`Replay all ${countOf(dead, "dead letter")} of ${topics.join(", ")}`} className="button" /> : null}
            </p>
            {/* A list rather than a table: each message reads top to bottom and its Replay button stays in reach on a phone. */}
            <ul className="card list" data-testid="stuck-messages" aria-label="Dead and long-failing messages, oldest first">
              {messages.map((message) => (
                <li key={message.id} data-message-id={message.id} className="stack">
                  <div className="row">
                    <strong>{message.topic}</strong>
                    {message.status === "DEAD" ? <span className="badge failed">Dead</span> : <span className="badge warn">Retrying</span>}
                  </div>
                  <div className="muted small">
                    {countOf(message.attempts, "attempt")} · waiting for {formatAge(message.createdAt, now)}
                    {message.status === "PENDING" ? ` · next attempt in ${formatAge(now, message.nextAttemptAt)}` : ""}
                  </div>
                  <div className="small stuck-error">Last error: {message.lastError ?? "none recorded"}</div>
                  {message.status === "DEAD" ? (
                    <div>
                      <ReplayButton name="messageId" value={message.id} label="Replay" accessibleName={`Replay the ${message.topic} message waiting for ${formatAge(message.createdAt, now)}`} />
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
          </>
        )}
      </ReplayForm>
    </div>
  );
}
