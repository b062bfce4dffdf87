-- AlterTable
ALTER TABLE "PolicyOverride" ADD COLUMN     "caseId" TEXT;

-- CreateIndex
CREATE INDEX "PolicyOverride_caseId_idx" ON "PolicyOverride"("caseId");

-- AddForeignKey
ALTER TABLE "PolicyOverride" ADD CONSTRAINT "PolicyOverride_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE SET NULL ON UPDATE CASCADE;
