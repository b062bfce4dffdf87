-- Whether an offer of help opened its case or joined one already waiting on the same attempt (the
-- customer had asked for a person): declining it closes only a case it opened. It was told by the
-- case's reason, read on every answer. The offers made before are the first of their case when its
-- reason is an offer's.
ALTER TABLE "ReachOut" ADD COLUMN "openedCase" BOOLEAN NOT NULL DEFAULT false;

UPDATE "ReachOut" r SET "openedCase" = true
FROM "Case" c
WHERE c."id" = r."caseId" AND c."reason" LIKE 'reach_out:%'
  AND NOT EXISTS (SELECT 1 FROM "ReachOut" earlier WHERE earlier."caseId" = r."caseId" AND earlier."createdAt" < r."createdAt");
