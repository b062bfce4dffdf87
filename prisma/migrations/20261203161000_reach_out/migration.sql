-- CreateEnum
CREATE TYPE "ReachOutStatus" AS ENUM ('OFFERED', 'SHOWN', 'ACCEPTED', 'DECLINED');

-- CreateTable
CREATE TABLE "ReachOut" (
    "id" TEXT NOT NULL,
    "journeyId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "agentId" TEXT,
    "caseId" TEXT,
    "journeyType" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "status" "ReachOutStatus" NOT NULL DEFAULT 'OFFERED',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "shownAt" TIMESTAMPTZ(3),
    "answeredAt" TIMESTAMPTZ(3),

    CONSTRAINT "ReachOut_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReachOut_userId_status_createdAt_idx" ON "ReachOut"("userId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "ReachOut_journeyId_idx" ON "ReachOut"("journeyId");

-- AddForeignKey
ALTER TABLE "ReachOut" ADD CONSTRAINT "ReachOut_journeyId_fkey" FOREIGN KEY ("journeyId") REFERENCES "Journey"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReachOut" ADD CONSTRAINT "ReachOut_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReachOut" ADD CONSTRAINT "ReachOut_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE SET NULL ON UPDATE CASCADE;
