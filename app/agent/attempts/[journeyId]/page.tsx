import type { Metadata } from "next";
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { JourneyTimeline } from "@/components/journey-timeline";
import { requireStaff } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { attemptForAgent } from "@/lib/frontline/attempt";
import { unnamedAttemptBy } from "@/lib/frontline/whose";
import { formatDateTime, STORE_TIME_ZONE } from "@/lib/format/date";
import { journeyLabel } from "@/lib/trail/labels";

export const metadata: Metadata = { title: "Attempt" };
export const dynamic = "force-dynamic";

const journeyIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const time = (d: Date) => formatDateTime(d, STORE_TIME_ZONE);

/** An attempt opened from the live view: read only, every step with its time, ways out and help offered. */
export default async function AttemptPage({ params }: { params: Promise<{ journeyId: string }> }) {
  await requireStaff("AGENT");
  const parsed = journeyIdSchema.safeParse((await params).journeyId);
  const attempt = parsed.success ? await attemptForAgent(db(), parsed.data) : null;
  if (!attempt) notFound();
  const who = attempt.user?.name ?? unnamedAttemptBy(attempt.accountDeleted);
  return (
    <div className="stack">
      <p><Link href="/frontline">← Live view</Link></p>
      <h1>{journeyLabel(attempt.type)}: {who}</h1>
      <p className="muted">Started {time(attempt.startedAt)} · last activity {time(attempt.lastActivityAt)}</p>
      <section className="card" aria-labelledby="trail-heading">
        <h2 id="trail-heading">Every step</h2>
        <JourneyTimeline journey={attempt} time={time} testId="attempt-trail" />
      </section>
    </div>
  );
}
