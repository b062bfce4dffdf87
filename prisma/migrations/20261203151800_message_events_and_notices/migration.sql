-- AlterEnum
ALTER TYPE "ConsentPurpose" ADD VALUE 'PROACTIVE_NOTICES';

-- AlterTable
ALTER TABLE "EmailMessage" ADD COLUMN     "headers" JSONB;

-- CreateEnum
CREATE TYPE "MessageEventKind" AS ENUM ('SENT', 'OPENED', 'CLICKED');

-- CreateEnum
CREATE TYPE "NoticeGroup" AS ENUM ('NOTICE', 'HELD_OUT');

-- CreateTable
CREATE TABLE "MessageEvent" (
    "id" TEXT NOT NULL,
    "notificationId" TEXT NOT NULL,
    "kind" "MessageEventKind" NOT NULL,
    "channel" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MessageEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProactiveNotice" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "group" "NoticeGroup" NOT NULL,
    "decidedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ProactiveNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MessageEvent_notificationId_idx" ON "MessageEvent"("notificationId");

-- CreateIndex
CREATE INDEX "ProactiveNotice_type_decidedAt_idx" ON "ProactiveNotice"("type", "decidedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ProactiveNotice_type_orderId_key" ON "ProactiveNotice"("type", "orderId");

-- AddForeignKey
ALTER TABLE "MessageEvent" ADD CONSTRAINT "MessageEvent_notificationId_fkey" FOREIGN KEY ("notificationId") REFERENCES "Notification"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProactiveNotice" ADD CONSTRAINT "ProactiveNotice_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProactiveNotice" ADD CONSTRAINT "ProactiveNotice_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
