-- The trail's overhead on a customer's task: of what one step adds to the task's database time
-- (about 0.4 ms on this machine), a quarter went to the two insights triggers, a plpgsql call
-- and an INSERT each (found timing trail_store's statements with pg_stat_statements.track = all,
-- bench/ in #17). trail_store now queues its journeys for the insights refresh itself, in one
-- insert of the statement that writes them, and the triggers step aside while it does: they are
-- kept for every other writer (the abandonment sweep, sign-in joining a device's journeys, an
-- account's deletion, anything added later), which is why they are triggers. The flag is
-- transaction-local and trail_store clears it before returning, so a later write in the same
-- transaction (the deletion, after it takes every attempt's lock through trail_store) queues as before.
-- The statement trigger on "TrailEvent" fired on every call, events or not.
-- The migration runner splits scripts at every semicolon, comments included: the bodies are
-- E-strings that spell theirs as \x3B.

CREATE FUNCTION "trail_store_queues_insights"() RETURNS boolean LANGUAGE sql STABLE AS E'
  SELECT current_setting(''waymark.trail_store_queues_insights'', true) IS NOT DISTINCT FROM ''on''';

DROP TRIGGER "insights_trail_event_stored" ON "TrailEvent";
CREATE TRIGGER "insights_trail_event_stored" AFTER INSERT ON "TrailEvent"
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT
  WHEN (NOT "trail_store_queues_insights"())
  EXECUTE FUNCTION "insights_queue_new_events"();

DROP TRIGGER "insights_journey_changed" ON "Journey";
CREATE TRIGGER "insights_journey_changed" AFTER UPDATE OF "userId", "outcome", "exitChannel" ON "Journey"
  FOR EACH ROW WHEN ((OLD."userId" IS DISTINCT FROM NEW."userId" OR OLD."outcome" IS DISTINCT FROM NEW."outcome" OR OLD."exitChannel" IS DISTINCT FROM NEW."exitChannel")
                     AND NOT "trail_store_queues_insights"())
  EXECUTE FUNCTION "insights_queue_journey"();

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

  PERFORM set_config(''waymark.trail_store_queues_insights'', ''on'', true)\x3B
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
  ), stale AS (
    -- What the insights triggers would queue (the journeys of new events, journeys whose owner, outcome
    -- or exit changed) is among the journeys written: queued here, one row each, the triggers stepping aside.
    INSERT INTO "InsightsStaleAttempt" ("journeyId") SELECT j."id" FROM journeys j
    RETURNING 1
  )
  SELECT COALESCE((SELECT array_agg(i."id") FROM inserted i), ''{}''),
         COALESCE((SELECT jsonb_agg(jsonb_build_object(''id'', j."id", ''type'', j."type", ''userId'', j."userId", ''anonymousId'', j."anonymousId",
                                                       ''outcome'', j."outcome", ''endedAt'', j."endedAt")) FROM journeys j), ''[]'')
    INTO v_stored, v_written\x3B
  PERFORM set_config(''waymark.trail_store_queues_insights'', '''', true)\x3B

  RETURN QUERY SELECT v_stored, v_written\x3B
END';
