-- A batch whose session was checked before its customer deleted their account, and stored after
-- the deletion committed, gave its journeys to the deleted account again: the deletion had detached
-- every journey it found, and these came after (found reviewing the deletion's lock order). The
-- accounts the batch names are locked first as before, and a deleted one is no journey's owner, and its
-- journeys are stored without one, as the deletion leaves the others. (A disabled account keeps
-- its trail: that can be undone.) The accounts are found by their key's index: written as a join
-- to the batch's journeys, the plan kept for any batch read every account (a hash join) until the
-- table held thousands, on every call (found measuring the trail's overhead).
-- The rest of the function is unchanged.
-- The migration runner splits scripts at every semicolon, comments included: the body is an
-- E-string that spells its semicolons as \x3B.

CREATE OR REPLACE FUNCTION "trail_store"(p_slots int[], p_checked text[], p_expected jsonb, p_journeys jsonb,
                              e_id text[], e_journey_id text[], e_journey_type text[], e_step text[], e_kind text[], e_error_code text[],
                              e_channel text[], e_source text[], e_occurred_at timestamptz[], e_distinct_id text[], e_properties jsonb[],
                              p_forward_ids text[], p_forward_steps boolean[], p_forward_payload jsonb)
  RETURNS TABLE (stored_ids text[], attempt_states jsonb)
  LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_generic_plan AS E'
DECLARE
  v_stored text[]\x3B
  v_written jsonb\x3B
  v_deleted text[]\x3B
BEGIN
  -- The accounts first: a task locks the row of its customer (any row it writes that points at the
  -- account does) before its commit stores its trail, so the trail takes them in that order too.
  SELECT COALESCE(array_agg(u."id") FILTER (WHERE u."status" = ''DELETED''), ''{}'') INTO v_deleted
  FROM (SELECT "id", "status" FROM "User" WHERE "id" = ANY(ARRAY(SELECT DISTINCT j."userId" FROM jsonb_to_recordset(p_journeys) AS j("userId" text)))
        ORDER BY "id" FOR KEY SHARE) u\x3B
  PERFORM pg_advisory_xact_lock(7261003, s) FROM unnest(p_slots) AS s\x3B
  IF 0 < (
    SELECT count(*) FROM "trail_attempt_states"(p_checked) a
      FULL JOIN jsonb_to_recordset(p_expected) AS x(id text, type text, "userId" text, "anonymousId" text, outcome text, "endedAt" timestamptz, viewed text[]) ON x.id = a.attempt_id
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
    SELECT j.id, j.type, CASE WHEN j."userId" = ANY(v_deleted) THEN NULL ELSE j."userId" END, j."anonymousId", j."sessionId", j."deviceClass"::"DeviceClass", j."firstAt", j."lastAt", j."lastStep",
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
    SELECT e.id, e.journey_id, e.journey_type, e.step, e.kind::"TrailEventKind", e.error_code, e.channel::"ExitChannel", e.source::"TrailSource",
           e.occurred_at, e.distinct_id, e.properties
    FROM unnest(e_id, e_journey_id, e_journey_type, e_step, e_kind, e_error_code, e_channel, e_source, e_occurred_at, e_distinct_id, e_properties)
      AS e(id, journey_id, journey_type, step, kind, error_code, channel, source, occurred_at, distinct_id, properties)
    ON CONFLICT ("id") DO NOTHING
    RETURNING "id"
  ), first_forwards AS (
    -- Events that are not trail steps are queued once: their id is remembered the first time.
    INSERT INTO "PostHogForwardedEvent" ("id")
    SELECT f.id FROM unnest(p_forward_ids, p_forward_steps) AS f(id, step) WHERE NOT f.step
    ON CONFLICT ("id") DO NOTHING
    RETURNING "id"
  ), forwards AS (
    -- A trail step gets its PostHog copy only when it was stored just now (a retried batch
    -- queues nothing twice), other events only when they were first seen just now. An id sent
    -- twice in one batch is queued once.
    SELECT DISTINCT ON (f.id) f.ord
    FROM unnest(p_forward_ids, p_forward_steps) WITH ORDINALITY AS f(id, step, ord)
    WHERE (f.step AND f.id IN (SELECT i."id" FROM inserted i)) OR (NOT f.step AND f.id IN (SELECT n."id" FROM first_forwards n))
  ), queued AS (
    -- One row for the whole batch: the PostHog consumer sends batches anyway.
    INSERT INTO "OutboxMessage" ("id", "topic", "dedupeKey", "payload")
    SELECT gen_random_uuid()::text, ''posthog'', ''posthog.batch:'' || gen_random_uuid()::text,
           CASE WHEN (SELECT count(*) FROM forwards) = cardinality(p_forward_ids) THEN p_forward_payload
                ELSE (SELECT jsonb_build_object(''events'', jsonb_agg(p_forward_payload->''events''->(f.ord::int - 1) ORDER BY f.ord)) FROM forwards f) END
    WHERE EXISTS (SELECT 1 FROM forwards)
    RETURNING 1
  )
  SELECT COALESCE((SELECT array_agg(i."id") FROM inserted i), ''{}''),
         COALESCE((SELECT jsonb_agg(jsonb_build_object(''id'', j."id", ''type'', j."type", ''userId'', j."userId", ''anonymousId'', j."anonymousId",
                                                       ''outcome'', j."outcome", ''endedAt'', j."endedAt")) FROM journeys j), ''[]'')
    INTO v_stored, v_written\x3B

  RETURN QUERY SELECT v_stored, v_written\x3B
END';
