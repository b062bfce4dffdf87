// One attempt's steps as an agent reads them: each step, what happened there (a failure's code, a
// way out to another channel, help offered and how it was answered) and when.
import { z } from "zod";
import type { Prisma } from "@/lib/generated/prisma/client";
import { CHANNEL_LABELS, endingLabel, EVENT_LABELS, journeyLabel, stepLabel } from "@/lib/trail/labels";

type JourneyWithEvents = Prisma.JourneyGetPayload<{ include: { events: true } }>;

// What an intervention event carries (lib/trail/server.ts): which help, and what the customer did with it.
const interventionSchema = z.object({ intervention: z.string(), outcome: z.string().optional() });

function interventionWords(properties: Prisma.JsonValue): string {
  const parsed = interventionSchema.safeParse(properties);
  if (!parsed.success) return "";
  const { intervention, outcome } = parsed.data;
  return ` (${intervention.replaceAll("_", " ")}${outcome ? `: ${outcome.replaceAll("_", " ")}` : ""})`;
}

export function JourneyTimeline({ journey, time, testId }: { journey: JourneyWithEvents; time: (at: Date) => string; testId: string }) {
  return (
    <>
      <p>
        <strong>{journeyLabel(journey.type)}</strong> — last step “{stepLabel(journey.type, journey.lastStep)}”, {endingLabel(journey.outcome, journey.exitChannel).toLowerCase()} on {journey.deviceClass.toLowerCase()}
      </p>
      <ol className="timeline" data-testid={testId}>
        {journey.events.map((e) => (
          <li key={e.id}>
            <strong>{stepLabel(journey.type, e.step)}</strong>: {EVENT_LABELS[e.kind].toLowerCase()}
            {e.kind === "INTERVENTION" ? interventionWords(e.properties) : ""}
            {e.errorCode ? <span className="badge failed"> {e.errorCode.replaceAll("_", " ")}</span> : null}
            {e.channel ? ` → ${CHANNEL_LABELS[e.channel].toLowerCase()}` : ""}
            <div className="muted small">{time(e.occurredAt)} · {e.source.toLowerCase()}</div>
          </li>
        ))}
      </ol>
    </>
  );
}
