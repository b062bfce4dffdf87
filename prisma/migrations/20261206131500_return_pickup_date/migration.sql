-- AlterTable
ALTER TABLE "Return" ADD COLUMN     "pickupDate" DATE;
