-- Two indexes no query uses, written on every trail write (#17, the trail step's cost inside a
-- task). Every read of Journey starts from an attempt's id, its customer, its device or its
-- outcome, and every read of TrailEvent from an attempt's id (a customer's problem reports in a
-- window go through their attempts: the plan is the same with the index and without it). On the
-- walk database after several sessions of use, pg_stat_user_indexes counted 0 scans of the events'
-- index and 1 of the journeys' (against 122,407 of the journeys' primary key). Each journey write
-- that is not a heap-only update (a step changes lastActivityAt, which other indexes hold) added an
-- entry to it, and each event an entry to the other.
DROP INDEX "Journey_type_startedAt_idx";
DROP INDEX "TrailEvent_journeyType_occurredAt_idx";
