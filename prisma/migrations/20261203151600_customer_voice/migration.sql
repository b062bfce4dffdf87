-- CreateEnum
CREATE TYPE "VoiceKind" AS ENUM ('EXIT_REASON', 'EFFORT', 'WENT_WRONG');

-- AlterTable
ALTER TABLE "Contact" ADD COLUMN     "externalId" TEXT,
ADD COLUMN     "trigger" TEXT;

-- CreateTable
CREATE TABLE "CustomerVoice" (
    "id" TEXT NOT NULL,
    "kind" "VoiceKind" NOT NULL,
    "journeyId" TEXT,
    "journeyType" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "deviceClass" "DeviceClass" NOT NULL,
    "reason" TEXT,
    "score" INTEGER,
    "comment" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerVoice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CustomerVoice_kind_createdAt_idx" ON "CustomerVoice"("kind", "createdAt");

-- CreateIndex
CREATE INDEX "CustomerVoice_journeyId_idx" ON "CustomerVoice"("journeyId");

-- CreateIndex
CREATE UNIQUE INDEX "Contact_externalId_key" ON "Contact"("externalId");

-- AddForeignKey
ALTER TABLE "CustomerVoice" ADD CONSTRAINT "CustomerVoice_journeyId_fkey" FOREIGN KEY ("journeyId") REFERENCES "Journey"("id") ON DELETE SET NULL ON UPDATE CASCADE;
