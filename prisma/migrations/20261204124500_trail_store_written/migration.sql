-- trail_store answers the journeys it wrote as they are after the write (the upsert's RETURNING)
-- instead of reading every attempt of the batch again: the caller already holds the rest (the
-- attempts it expected were found as expected under the locks, so they are as it expected, and the
-- steps viewed in a written attempt are the expected ones plus the views stored just now, which it
-- knows from the ids stored). The read cost a task's step as much as the write.
-- When an attempt is not as expected nothing changes: nothing is written and the attempts are
-- answered as they are (trail_attempt_states_json), stored_ids NULL.
-- The migration runner splits scripts at every semicolon, comments included: the body is an
-- E-string that spells its semicolons as \x3B.

CREATE OR REPLACE FUNCTION "trail_store"(p_slots int[], p_checked text[], p_expected jsonb, p_journeys jsonb, p_events jsonb, p_forwards jsonb)
  RETURNS TABLE (stored_ids text[], attempt_states jsonb)
  LANGUAGE plpgsql VOLATILE AS E'
DECLARE
  v_stored text[]\x3B
  v_written jsonb\x3B
BEGIN
  PERFORM pg_advisory_xact_lock(7261003, s) FROM unnest(p_slots) AS s\x3B
  IF EXISTS (
    SELECT 1 FROM unnest(p_checked) AS c(id)
      LEFT JOIN "trail_attempt_states"(p_checked) a ON a.attempt_id = c.id
      LEFT JOIN jsonb_to_recordset(p_expected) AS x(id text, type text, "userId" text, "anonymousId" text, outcome text, "endedAt" timestamptz, viewed text[]) ON x.id = c.id
    WHERE (a.attempt_id IS NULL) <> (x.id IS NULL)
       OR a.attempt_type IS DISTINCT FROM x.type OR a.user_id IS DISTINCT FROM x."userId" OR a.anonymous_id IS DISTINCT FROM x."anonymousId"
       OR a.outcome IS DISTINCT FROM x.outcome OR a.ended_at IS DISTINCT FROM x."endedAt"
       OR NOT (a.viewed @> x.viewed AND x.viewed @> a.viewed)
  ) THEN
    RETURN QUERY SELECT NULL::text[], "trail_attempt_states_json"(p_checked)\x3B
    RETURN\x3B
  END IF\x3B

  WITH journeys AS (
    INSERT INTO "Journey" ("id", "type", "userId", "anonymousId", "sessionId", "deviceClass", "startedAt", "lastActivityAt", "lastStep", "outcome", "exitChannel", "endedAt")
    SELECT j.id, j.type, j."userId", j."anonymousId", j."sessionId", j."deviceClass"::"DeviceClass", j."firstAt", j."lastAt", j."lastStep",
           j.outcome::"JourneyOutcome", j."exitChannel"::"ExitChannel", CASE WHEN j.outcome = ''IN_PROGRESS'' THEN NULL ELSE j."lastAt" END
    FROM jsonb_to_recordset(p_journeys) AS j(id text, type text, "userId" text, "anonymousId" text, "sessionId" text, "deviceClass" text,
                                             "firstAt" timestamptz, "lastAt" timestamptz, "lastStep" text, outcome text, "exitChannel" text)
    ON CONFLICT ("id") DO UPDATE SET
      "userId" = COALESCE("Journey"."userId", EXCLUDED."userId"),
      "anonymousId" = COALESCE("Journey"."anonymousId", EXCLUDED."anonymousId"),
      "startedAt" = LEAST("Journey"."startedAt", EXCLUDED."startedAt"),
      "lastStep" = CASE WHEN EXCLUDED."lastActivityAt" >= "Journey"."lastActivityAt" THEN EXCLUDED."lastStep" ELSE "Journey"."lastStep" END,
      "lastActivityAt" = GREATEST("Journey"."lastActivityAt", EXCLUDED."lastActivityAt"),
      "outcome" = CASE WHEN "trail_outcome_rank"(EXCLUDED."outcome") >= "trail_outcome_rank"("Journey"."outcome") THEN EXCLUDED."outcome" ELSE "Journey"."outcome" END,
      "exitChannel" = CASE WHEN EXCLUDED."outcome" = ''EXITED'' AND "Journey"."outcome" <> ''COMPLETED'' THEN EXCLUDED."exitChannel" ELSE "Journey"."exitChannel" END,
      "endedAt" = CASE WHEN EXCLUDED."outcome" = ''IN_PROGRESS'' THEN "Journey"."endedAt" ELSE GREATEST("Journey"."endedAt", EXCLUDED."endedAt") END
    RETURNING "id", "type", "userId", "anonymousId", "outcome", "endedAt"
  ), inserted AS (
    INSERT INTO "TrailEvent" ("id", "journeyId", "journeyType", "step", "kind", "errorCode", "channel", "source", "occurredAt", "distinctId", "properties")
    SELECT e.id, e."journeyId", e."journeyType", e.step, e.kind::"TrailEventKind", e."errorCode", e.channel::"ExitChannel", e.source::"TrailSource",
           e."occurredAt", e."distinctId", e.properties
    FROM jsonb_to_recordset(p_events) AS e(id text, "journeyId" text, "journeyType" text, step text, kind text, "errorCode" text, channel text, source text,
                                           "occurredAt" timestamptz, "distinctId" text, properties jsonb)
    ON CONFLICT ("id") DO NOTHING
    RETURNING "id"
  ), first_forwards AS (
    -- Events that are not trail steps are queued once: their id is remembered the first time.
    INSERT INTO "PostHogForwardedEvent" ("id")
    SELECT f.id FROM jsonb_to_recordset(p_forwards) AS f(id text, step boolean) WHERE NOT f.step
    ON CONFLICT ("id") DO NOTHING
    RETURNING "id"
  ), forwards AS (
    -- A trail step gets its PostHog copy only when it was stored just now (a retried batch
    -- queues nothing twice), other events only when they were first seen just now. An id sent
    -- twice in one batch is queued once.
    SELECT DISTINCT ON (f.id) f.ord, f.payload
    FROM ROWS FROM (jsonb_to_recordset(p_forwards) AS (id text, step boolean, payload jsonb)) WITH ORDINALITY AS f(id, step, payload, ord)
    WHERE (f.step AND f.id IN (SELECT i."id" FROM inserted i)) OR (NOT f.step AND f.id IN (SELECT n."id" FROM first_forwards n))
  ), queued AS (
    -- One row for the whole batch: the PostHog consumer sends batches anyway.
    INSERT INTO "OutboxMessage" ("id", "topic", "dedupeKey", "payload")
    SELECT gen_random_uuid()::text, ''posthog'', ''posthog.batch:'' || gen_random_uuid()::text, jsonb_build_object(''events'', jsonb_agg(f.payload ORDER BY f.ord))
    FROM forwards f HAVING count(*) > 0
    RETURNING 1
  )
  SELECT COALESCE((SELECT array_agg(i."id") FROM inserted i), ''{}''),
         COALESCE((SELECT jsonb_agg(jsonb_build_object(''id'', j."id", ''type'', j."type", ''userId'', j."userId", ''anonymousId'', j."anonymousId",
                                                       ''outcome'', j."outcome", ''endedAt'', j."endedAt")) FROM journeys j), ''[]'')
    INTO v_stored, v_written\x3B

  RETURN QUERY SELECT v_stored, v_written\x3B
END';
