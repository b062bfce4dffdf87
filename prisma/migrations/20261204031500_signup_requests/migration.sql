-- CreateTable
CREATE TABLE "SignUpRequest" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "tokenHash" TEXT,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SignUpRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SignUpRequest_tokenHash_key" ON "SignUpRequest"("tokenHash");

-- CreateIndex
CREATE INDEX "SignUpRequest_expiresAt_idx" ON "SignUpRequest"("expiresAt");
