-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "replayedAt" TIMESTAMPTZ(3);
