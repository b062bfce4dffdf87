-- The trail's write path (lib/trail/store.ts) takes its attempt locks and then reads what the
-- attempts hold: one round trip instead of two. A VOLATILE plpgsql function runs each statement
-- with a fresh snapshot, so the read sees whatever the previous lock holder committed.
-- The migration runner splits scripts at every semicolon, comments included: the body is an
-- E-string that spells its own as \x3B.

CREATE FUNCTION "trail_lock_attempts"(slots int[], journey_ids text[])
  RETURNS TABLE (attempt_id text, attempt_type text, user_id text, anonymous_id text, outcome text, ended_at timestamptz, viewed text[])
  LANGUAGE plpgsql VOLATILE AS E'
BEGIN
  PERFORM pg_advisory_xact_lock(7261003, s) FROM unnest(slots) AS s\x3B
  RETURN QUERY
    SELECT j."id", j."type", j."userId", j."anonymousId", j."outcome"::text, j."endedAt",
           COALESCE((SELECT array_agg(DISTINCT e."step") FROM "TrailEvent" e WHERE e."journeyId" = j."id" AND e."kind" = ''VIEWED''), ''{}'')
    FROM "Journey" j WHERE j."id" = ANY(journey_ids)\x3B
END';
