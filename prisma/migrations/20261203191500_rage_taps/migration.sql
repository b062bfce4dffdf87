-- AlterEnum
ALTER TYPE "TrailEventKind" ADD VALUE 'RAGE_TAP';
