-- The trail's write path (lib/trail/store.ts) in one round trip when it guessed right: trail_store
-- takes the batch's attempt locks, checks that the attempts it names are stored as the caller
-- expected (the caller applied the attempt rule, lib/trail/attempts.ts, to that expectation), and
-- only then upserts the journeys, inserts the events and queues their PostHog copies. When an
-- attempt is not as expected nothing is written and the attempts are returned as they are: the
-- caller applies the rule again to them and calls again, its locks still held. A plpgsql
-- function also keeps its statements' plans for the session instead of planning the large
-- statement on every batch.
-- The migration runner splits scripts at every semicolon, comments included: the bodies are
-- E-strings that spell theirs as \x3B.

-- What the attempt rule reads of each attempt: its owner, its outcome and the steps viewed in it.
CREATE FUNCTION "trail_attempt_states"(journey_ids text[])
  RETURNS TABLE (attempt_id text, attempt_type text, user_id text, anonymous_id text, outcome text, ended_at timestamptz, viewed text[])
  LANGUAGE sql STABLE AS E'
    SELECT j."id", j."type", j."userId", j."anonymousId", j."outcome"::text, j."endedAt",
           COALESCE((SELECT array_agg(DISTINCT e."step") FROM "TrailEvent" e WHERE e."journeyId" = j."id" AND e."kind" = ''VIEWED''), ''{}'')
    FROM "Journey" j WHERE j."id" = ANY(journey_ids)';

-- The same, as the JSON trail_store answers with.
CREATE FUNCTION "trail_attempt_states_json"(journey_ids text[]) RETURNS jsonb
  LANGUAGE sql STABLE AS E'
    SELECT COALESCE(jsonb_agg(jsonb_build_object(''id'', a.attempt_id, ''type'', a.attempt_type, ''userId'', a.user_id, ''anonymousId'', a.anonymous_id,
                                                 ''outcome'', a.outcome, ''endedAt'', a.ended_at, ''viewed'', to_jsonb(a.viewed))), ''[]'')
    FROM "trail_attempt_states"(journey_ids) a';

-- checked: every attempt the caller's rule read (absent ones too), expected: those it found stored.
-- Answers the ids of the events new to the trail and the attempts as stored after the write, or
-- NULL ids and the attempts as they are when they were not as expected.
CREATE FUNCTION "trail_store"(p_slots int[], p_checked text[], p_expected jsonb, p_journeys jsonb, p_events jsonb, p_forwards jsonb)
  RETURNS TABLE (stored_ids text[], attempt_states jsonb)
  LANGUAGE plpgsql VOLATILE AS E'
DECLARE
  v_stored text[]\x3B
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
    RETURNING 1
  ), inserted AS (
    INSERT INTO "TrailEvent" ("id", "journeyId", "journeyType", "step", "kind", "errorCode", "channel", "source", "occurredAt", "distinctId", "properties")
    SELECT e.id, e."journeyId", e."journeyType", e.step, e.kind::"TrailEventKind", e."errorCode", e.channel::"ExitChannel", e.source::"TrailSource",
           e."occurredAt", e."distinctId", e.properties
    FROM jsonb_to_recordset(p_events) AS e(id text, "journeyId" text, "journeyType" text, step text, kind text, "errorCode" text, channel text, source text,
                                           "occurredAt" timestamptz, "distinctId" text, properties jsonb)
    ON CONFLICT ("id") DO NOTHING
    RETURNING "id"
  ), forwards AS (
    -- A trail step gets its PostHog copy only when it was stored just now (a retried batch
    -- queues nothing twice), other events are deduplicated by the outbox key.
    SELECT f.id, f.payload FROM jsonb_to_recordset(p_forwards) AS f(id text, step boolean, payload jsonb)
    WHERE NOT f.step OR f.id IN (SELECT i."id" FROM inserted i)
  ), queued AS (
    INSERT INTO "OutboxMessage" ("id", "topic", "dedupeKey", "payload")
    SELECT gen_random_uuid()::text, ''posthog'', ''posthog:'' || f.id, f.payload FROM forwards f
    ON CONFLICT ("dedupeKey") DO NOTHING
    RETURNING 1
  )
  SELECT COALESCE(array_agg(i."id"), ''{}'') INTO v_stored FROM inserted i\x3B

  RETURN QUERY SELECT v_stored, "trail_attempt_states_json"(p_checked || ARRAY(SELECT j.id FROM jsonb_to_recordset(p_journeys) AS j(id text)))\x3B
END';

CREATE FUNCTION "trail_outcome_rank"(outcome "JourneyOutcome") RETURNS int
  LANGUAGE sql IMMUTABLE AS E'SELECT CASE outcome WHEN ''COMPLETED'' THEN 3 WHEN ''EXITED'' THEN 2 WHEN ''ABANDONED'' THEN 1 ELSE 0 END';

-- The store no longer reads before it writes: trail_store does both.
DROP FUNCTION "trail_lock_attempts"(int[], text[]);
