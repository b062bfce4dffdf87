-- CreateEnum
CREATE TYPE "InsightsCustomer" AS ENUM ('NEW', 'RETURNING', 'SIGNED_OUT');

-- CreateTable
CREATE TABLE "InsightsStaleAttempt" (
    "id" BIGSERIAL NOT NULL,
    "journeyId" TEXT NOT NULL,
    "markedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InsightsStaleAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InsightsAttempt" (
    "journeyId" TEXT NOT NULL,
    "journeyType" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "deviceClass" "DeviceClass" NOT NULL,
    "customer" "InsightsCustomer" NOT NULL,
    "level" INTEGER NOT NULL,
    "outcome" "JourneyOutcome" NOT NULL,
    "exitChannel" "ExitChannel",
    "exitStep" TEXT,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "enteredAt" TIMESTAMPTZ(3),
    "endedAt" TIMESTAMPTZ(3),
    "stepSeconds" INTEGER[],
    "totalSeconds" INTEGER,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "followUps" INTEGER NOT NULL DEFAULT 0,
    "followUpResolved" BOOLEAN NOT NULL DEFAULT false,
    "refreshedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InsightsAttempt_pkey" PRIMARY KEY ("journeyId")
);

-- CreateTable
CREATE TABLE "InsightsDailyAttempts" (
    "journeyType" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "deviceClass" "DeviceClass" NOT NULL,
    "customer" "InsightsCustomer" NOT NULL,
    "level" INTEGER NOT NULL,
    "outcome" "JourneyOutcome" NOT NULL,
    "exitChannel" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "followedUp" INTEGER NOT NULL,
    "resolved" INTEGER NOT NULL,
    "contacts" INTEGER NOT NULL,

    CONSTRAINT "InsightsDailyAttempts_pkey" PRIMARY KEY ("journeyType","day","deviceClass","customer","level","outcome","exitChannel")
);

-- CreateTable
CREATE TABLE "InsightsDailyDurations" (
    "journeyType" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "deviceClass" "DeviceClass" NOT NULL,
    "customer" "InsightsCustomer" NOT NULL,
    "segment" INTEGER NOT NULL,
    "bucket" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL,

    CONSTRAINT "InsightsDailyDurations_pkey" PRIMARY KEY ("journeyType","day","deviceClass","customer","segment","bucket")
);

-- CreateTable
CREATE TABLE "InsightsDailyErrors" (
    "journeyType" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "deviceClass" "DeviceClass" NOT NULL,
    "customer" "InsightsCustomer" NOT NULL,
    "step" TEXT NOT NULL,
    "errorCode" TEXT NOT NULL,
    "outcome" "JourneyOutcome" NOT NULL,
    "exitChannel" TEXT NOT NULL,
    "events" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL,

    CONSTRAINT "InsightsDailyErrors_pkey" PRIMARY KEY ("journeyType","day","deviceClass","customer","step","errorCode","outcome","exitChannel")
);

-- CreateIndex
CREATE INDEX "InsightsStaleAttempt_journeyId_idx" ON "InsightsStaleAttempt"("journeyId");

-- CreateIndex
CREATE INDEX "InsightsAttempt_journeyType_day_startedAt_idx" ON "InsightsAttempt"("journeyType", "day" DESC, "startedAt" DESC);

-- CreateIndex
CREATE INDEX "InsightsAttempt_day_startedAt_idx" ON "InsightsAttempt"("day" DESC, "startedAt" DESC);

-- CreateIndex
CREATE INDEX "InsightsDailyAttempts_day_idx" ON "InsightsDailyAttempts"("day");

-- ---- insights rollups: triggers that queue stale attempts (hand-written, not generated)
-- Every write that can change what an attempt amounts to queues its journey id in
-- "InsightsStaleAttempt", and lib/insights/refresh.ts recomputes the queued attempts every few
-- seconds. Triggers rather than calls in each write path, so that a path added later (or a cascade
-- from a deleted account) cannot forget to queue. Queuing is the INSERT of one small row: writers
-- never wait for the refresh.
-- The migration runner splits scripts at every semicolon (adapter-pg executeScript), comments
-- included: so no semicolon may appear in this file outside statements' ends, and the function
-- bodies are E-strings that spell theirs as \x3B.

CREATE FUNCTION "insights_queue_new_events"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO "InsightsStaleAttempt" ("journeyId") SELECT DISTINCT "journeyId" FROM new_events\x3B
  RETURN NULL\x3B
END';

-- Statement level: a batch of events queues each of its journeys once.
CREATE TRIGGER "insights_trail_event_stored" AFTER INSERT ON "TrailEvent"
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION "insights_queue_new_events"();

CREATE FUNCTION "insights_queue_journey"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''DELETE'' THEN
    INSERT INTO "InsightsStaleAttempt" ("journeyId") VALUES (OLD."id")\x3B
  ELSE
    INSERT INTO "InsightsStaleAttempt" ("journeyId") VALUES (NEW."id")\x3B
  END IF\x3B
  RETURN NULL\x3B
END';

-- Changes that come without a new event: an abandonment turned into a failure, a device joined to
-- its customer at sign-in, an account deleted (userId set to null).
CREATE TRIGGER "insights_journey_changed" AFTER UPDATE OF "userId", "outcome", "exitChannel" ON "Journey"
  FOR EACH ROW WHEN (OLD."userId" IS DISTINCT FROM NEW."userId" OR OLD."outcome" IS DISTINCT FROM NEW."outcome" OR OLD."exitChannel" IS DISTINCT FROM NEW."exitChannel")
  EXECUTE FUNCTION "insights_queue_journey"();

CREATE TRIGGER "insights_journey_deleted" AFTER DELETE ON "Journey"
  FOR EACH ROW EXECUTE FUNCTION "insights_queue_journey"();

CREATE FUNCTION "insights_queue_contact_journeys"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP <> ''INSERT'' AND OLD."journeyId" IS NOT NULL THEN
    INSERT INTO "InsightsStaleAttempt" ("journeyId") VALUES (OLD."journeyId")\x3B
  END IF\x3B
  IF TG_OP <> ''DELETE'' AND NEW."journeyId" IS NOT NULL THEN
    INSERT INTO "InsightsStaleAttempt" ("journeyId") VALUES (NEW."journeyId")\x3B
  END IF\x3B
  RETURN NULL\x3B
END';

-- Exit follow-through: a contact linked to (or unlinked from) an attempt changes its facts.
CREATE TRIGGER "insights_contact_changed" AFTER INSERT OR UPDATE OR DELETE ON "Contact"
  FOR EACH ROW EXECUTE FUNCTION "insights_queue_contact_journeys"();
