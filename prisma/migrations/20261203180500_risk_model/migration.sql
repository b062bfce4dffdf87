-- CreateTable
CREATE TABLE "RiskModel" (
    "id" TEXT NOT NULL,
    "trainedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "trainFrom" TIMESTAMPTZ(3) NOT NULL,
    "trainTo" TIMESTAMPTZ(3) NOT NULL,
    "evalFrom" TIMESTAMPTZ(3) NOT NULL,
    "evalTo" TIMESTAMPTZ(3) NOT NULL,
    "parameters" JSONB NOT NULL,
    "metrics" JSONB NOT NULL,

    CONSTRAINT "RiskModel_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RiskModel_trainedAt_idx" ON "RiskModel"("trainedAt");
