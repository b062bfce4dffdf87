-- Goodwill sent twice (a double submit, a retried request, two tabs sending one form) was granted twice
-- as store credit, and a refund was told granted twice while paid once: the refund was known by case, order
-- and amount, so a second refund of the same amount meant on purpose was not paid either. Each goodwill
-- form now carries a key of its own: the override it records keeps it (unique) and names what it granted.
ALTER TABLE "PolicyOverride" ADD COLUMN "requestKey" TEXT;
ALTER TABLE "PolicyOverride" ADD COLUMN "grantId" TEXT;
CREATE UNIQUE INDEX "PolicyOverride_requestKey_key" ON "PolicyOverride"("requestKey");
