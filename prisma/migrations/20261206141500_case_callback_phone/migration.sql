-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "callbackPhone" TEXT;
