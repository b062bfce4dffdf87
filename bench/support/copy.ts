// The ceiling for trail ingest: PostgreSQL's own COPY of ready-made rows into "TrailEvent" (same
// table, indexes and server), with nothing decoded, validated or forwarded. Rolled back afterwards,
// so the table the portal reads is left as it was.
import crypto from "node:crypto";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

function rowsOf(count: number, journeyIds: string[]): string[] {
  const now = new Date().toISOString();
  return Array.from({ length: count }, (_, i) => {
    const journeyId = journeyIds[i % journeyIds.length];
    const properties = JSON.stringify({ journey_id: journeyId, journey_type: "return", step: "items", device_class: "MOBILE" });
    return [crypto.randomUUID(), journeyId, "return", "items", "VIEWED", "BROWSER", now, crypto.randomUUID(), properties].join("\t") + "\n";
  });
}

/** Rows per second COPY stores, in chunks of `chunk` rows as a bulk loader would send them. */
export async function copyRowsPerSecond(databaseUrl: string, options: { rows: number; journeyIds: string[]; chunk?: number }): Promise<number> {
  if (options.journeyIds.length === 0) throw new Error("COPY needs journeys to attach its rows to");
  const lines = rowsOf(options.rows, options.journeyIds);
  const chunk = options.chunk ?? 1000;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    const started = performance.now();
    const stream = client.query(copyFrom(`COPY "TrailEvent" ("id", "journeyId", "journeyType", "step", "kind", "source", "occurredAt", "distinctId", "properties") FROM STDIN`));
    await pipeline(Readable.from((function* () {
      for (let i = 0; i < lines.length; i += chunk) yield lines.slice(i, i + chunk).join("");
    })()), stream);
    const seconds = (performance.now() - started) / 1000;
    await client.query("ROLLBACK");
    return options.rows / seconds;
  } finally {
    await client.end();
  }
}
