-- Accepting an agent's offer of help set its case in progress with nobody on it and wrote
-- that the customer accepted it into its outcome, which says how a case ended.
-- Now the case stays open for whoever takes it and the case's history reads the accepted offer.
-- Cases still waiting that were left so are put back: open when nobody took them, the note taken
-- out of the outcome either way.
UPDATE "Case" SET "status" = 'OPEN'
WHERE "status" = 'IN_PROGRESS' AND "assignedToId" IS NULL AND "outcome" = 'Customer accepted the agent''s offer of help';

UPDATE "Case" SET "outcome" = NULL
WHERE "status" IN ('OPEN', 'IN_PROGRESS') AND "outcome" = 'Customer accepted the agent''s offer of help';
