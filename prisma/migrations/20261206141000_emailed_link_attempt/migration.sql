-- AlterTable
ALTER TABLE "PasswordResetToken" ADD COLUMN     "journeyId" TEXT;

-- AlterTable
ALTER TABLE "EmailChangeRequest" ADD COLUMN     "journeyId" TEXT;
