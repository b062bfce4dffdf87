-- A task's trail step committed with the task as an intent, and stored right after (#17, item 4).
-- The step cost a task 0.2-0.3 ms of its answer: the journey's update, the events, the PostHog copy
-- and the insights mark, all inside the task's transaction. The task's transaction now writes one row
-- per attempt it records a step of ("TrailIntent": the events as JSON, one index), and trail_store
-- moves it into the trail once the task has committed (lib/trail/intents.ts), from the process that
-- committed it, or from the worker's "trail-intents" duty for one that stopped first. Nothing is
-- lost: the intent commits or rolls back with the task.
-- The order the journey rule reads is kept: trail_store writes an attempt with an intent pending
-- only in a call that carries it. Any other call (a browser batch arriving first) is answered with
-- the attempt's pending intents, and the caller stores them with its own events, in time order, in
-- its next round trip. A call carrying an intent another writer has stored since is answered with
-- those still pending.
-- The migration runner splits scripts at every semicolon, comments included: the body is an
-- E-string that spells its semicolons as \x3B.

CREATE TABLE "TrailIntent" (
  "journeyId" TEXT NOT NULL,
  "id" TEXT NOT NULL,
  "payload" TEXT NOT NULL,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "TrailIntent_pkey" PRIMARY KEY ("journeyId", "id")
);

DROP FUNCTION "trail_store"(int[], text[], text[], jsonb, jsonb, text[], text[], text[], text[], text[], text[], text[], text[], timestamptz[], text[], jsonb[], text[], boolean[], jsonb);

CREATE FUNCTION "trail_store"(p_slots int[], p_user_ids text[], p_checked text[], p_expected jsonb, p_journeys jsonb,
                              e_id text[], e_journey_id text[], e_journey_type text[], e_step text[], e_kind text[], e_error_code text[],
                              e_channel text[], e_source text[], e_occurred_at timestamptz[], e_distinct_id text[], e_properties jsonb[],
                              p_forward_ids text[], p_forward_steps boolean[], p_forward_payload jsonb,
                              p_intent_journeys text[], p_intent_ids text[])
  RETURNS TABLE (stored_ids text[], attempt_states jsonb, pending_intents jsonb)
  LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS E'
DECLARE
  v_stored text[]\x3B
  v_deleted text[]\x3B
  v_unexpected boolean\x3B
BEGIN
  -- The accounts first: a task locks the row of its customer (any row it writes that points at the
  -- account does) before its commit stores its trail, so the trail takes them in that order too.
  SELECT COALESCE(array_agg(u."id") FILTER (WHERE u."status" = ''DELETED''), ''{}'') INTO v_deleted
  FROM (SELECT "id", "status" FROM "User" WHERE "id" = ANY(p_user_ids) ORDER BY "id" FOR KEY SHARE) u\x3B
  PERFORM pg_advisory_xact_lock(7261003, s) FROM unnest(p_slots) AS s\x3B

  -- Every attempt found must be expected, and as expected, and as many found as are expected
  -- (the checked ids expected absent are then absent).
  SELECT count(*) FILTER (WHERE e.x IS NULL
                             OR j."type" IS DISTINCT FROM e.x->>''type'' OR j."userId" IS DISTINCT FROM e.x->>''userId''
                             OR j."anonymousId" IS DISTINCT FROM e.x->>''anonymousId'' OR j."outcome"::text IS DISTINCT FROM e.x->>''outcome''
                             OR j."endedAt" IS DISTINCT FROM (e.x->>''endedAt'')::timestamptz
                             OR NOT (v.stored @> v.expected AND v.expected @> v.stored)) > 0
         OR count(*) <> (SELECT count(*) FROM jsonb_object_keys(p_expected))
    INTO v_unexpected
  FROM "Journey" j
  CROSS JOIN LATERAL (SELECT p_expected -> j."id" AS x) e
  CROSS JOIN LATERAL (SELECT ARRAY(SELECT t."step" FROM "TrailEvent" t WHERE t."journeyId" = j."id" AND t."kind" = ''VIEWED'') AS stored,
                             ARRAY(SELECT jsonb_array_elements_text(e.x->''viewed'')) AS expected OFFSET 0) v
  WHERE j."id" = ANY(p_checked)\x3B
  -- Steps a task committed that are not stored yet come first: an attempt with one pending is
  -- written only by a call that carries it (it is answered with them), and a call that carries
  -- steps another writer has stored since is answered again as well.
  v_unexpected := v_unexpected
    OR EXISTS (SELECT 1 FROM "TrailIntent" t WHERE t."journeyId" = ANY(p_checked) AND NOT t."id" = ANY(p_intent_ids))
    OR (SELECT count(*) FROM "TrailIntent" t JOIN unnest(p_intent_journeys, p_intent_ids) AS c(journey_id, id)
          ON t."journeyId" = c.journey_id AND t."id" = c.id) <> cardinality(p_intent_ids)\x3B
  IF v_unexpected THEN
    RETURN QUERY SELECT NULL::text[], "trail_attempt_states_json"(p_checked),
      (SELECT COALESCE(jsonb_agg(jsonb_build_object(''journeyId'', t."journeyId", ''id'', t."id", ''payload'', t."payload")), ''[]'')
       FROM "TrailIntent" t
       WHERE t."journeyId" = ANY(p_checked)
          OR (t."journeyId", t."id") IN (SELECT c.journey_id, c.id FROM unnest(p_intent_journeys, p_intent_ids) AS c(journey_id, id)))\x3B
    RETURN\x3B
  END IF\x3B
  DELETE FROM "TrailIntent" t USING unnest(p_intent_journeys, p_intent_ids) AS c(journey_id, id)
  WHERE t."journeyId" = c.journey_id AND t."id" = c.id\x3B

  PERFORM set_config(''waymark.trail_store_queues_insights'', ''on'', true)\x3B
  WITH updated AS (
    UPDATE "Journey" AS s SET
      "userId" = COALESCE(s."userId", CASE WHEN j."userId" = ANY(v_deleted) THEN NULL ELSE j."userId" END),
      "anonymousId" = COALESCE(s."anonymousId", j."anonymousId"),
      "startedAt" = LEAST(s."startedAt", j."firstAt"),
      "lastStep" = CASE WHEN j."lastAt" >= s."lastActivityAt" THEN j."lastStep" ELSE s."lastStep" END,
      "lastActivityAt" = GREATEST(s."lastActivityAt", j."lastAt"),
      "outcome" = CASE WHEN "trail_outcome_rank"(j.outcome::"JourneyOutcome") >= "trail_outcome_rank"(s."outcome") THEN j.outcome::"JourneyOutcome" ELSE s."outcome" END,
      "exitChannel" = CASE WHEN j.outcome = ''EXITED'' AND s."outcome" <> ''COMPLETED'' THEN j."exitChannel"::"ExitChannel" ELSE s."exitChannel" END,
      "endedAt" = CASE WHEN j.outcome = ''IN_PROGRESS'' THEN s."endedAt" ELSE GREATEST(s."endedAt", j."lastAt") END
    FROM jsonb_to_recordset(p_journeys) AS j(id text, "userId" text, "anonymousId" text, "firstAt" timestamptz, "lastAt" timestamptz,
                                             "lastStep" text, outcome text, "exitChannel" text)
    WHERE s."id" = j.id AND s."id" = ANY(p_checked) AND p_expected ? j.id
    RETURNING s."id"
  ), created AS (
    INSERT INTO "Journey" ("id", "type", "userId", "anonymousId", "sessionId", "deviceClass", "startedAt", "lastActivityAt", "lastStep", "outcome", "exitChannel", "endedAt")
    SELECT j.id, j.type, CASE WHEN j."userId" = ANY(v_deleted) THEN NULL ELSE j."userId" END, j."anonymousId", j."sessionId", j."deviceClass"::"DeviceClass", j."firstAt", j."lastAt", j."lastStep",
           j.outcome::"JourneyOutcome", j."exitChannel"::"ExitChannel", CASE WHEN j.outcome = ''IN_PROGRESS'' THEN NULL ELSE j."lastAt" END
    FROM jsonb_to_recordset(p_journeys) AS j(id text, type text, "userId" text, "anonymousId" text, "sessionId" text, "deviceClass" text,
                                             "firstAt" timestamptz, "lastAt" timestamptz, "lastStep" text, outcome text, "exitChannel" text)
    WHERE NOT p_expected ? j.id
    ON CONFLICT ("id") DO UPDATE SET
      "userId" = COALESCE("Journey"."userId", EXCLUDED."userId"),
      "anonymousId" = COALESCE("Journey"."anonymousId", EXCLUDED."anonymousId"),
      "startedAt" = LEAST("Journey"."startedAt", EXCLUDED."startedAt"),
      "lastStep" = CASE WHEN EXCLUDED."lastActivityAt" >= "Journey"."lastActivityAt" THEN EXCLUDED."lastStep" ELSE "Journey"."lastStep" END,
      "lastActivityAt" = GREATEST("Journey"."lastActivityAt", EXCLUDED."lastActivityAt"),
      "outcome" = CASE WHEN "trail_outcome_rank"(EXCLUDED."outcome") >= "trail_outcome_rank"("Journey"."outcome") THEN EXCLUDED."outcome" ELSE "Journey"."outcome" END,
      "exitChannel" = CASE WHEN EXCLUDED."outcome" = ''EXITED'' AND "Journey"."outcome" <> ''COMPLETED'' THEN EXCLUDED."exitChannel" ELSE "Journey"."exitChannel" END,
      "endedAt" = CASE WHEN EXCLUDED."outcome" = ''IN_PROGRESS'' THEN "Journey"."endedAt" ELSE GREATEST("Journey"."endedAt", EXCLUDED."endedAt") END
    RETURNING "id"
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
    INSERT INTO "InsightsStaleAttempt" ("journeyId") SELECT u."id" FROM updated u UNION ALL SELECT c."id" FROM created c
    RETURNING 1
  )
  SELECT COALESCE((SELECT array_agg(i."id") FROM inserted i), ''{}'') INTO v_stored\x3B
  PERFORM set_config(''waymark.trail_store_queues_insights'', '''', true)\x3B

  RETURN QUERY SELECT v_stored, NULL::jsonb, NULL::jsonb\x3B
END';
