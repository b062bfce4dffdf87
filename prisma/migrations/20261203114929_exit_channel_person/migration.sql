-- AlterEnum
ALTER TYPE "ExitChannel" ADD VALUE 'PERSON';
