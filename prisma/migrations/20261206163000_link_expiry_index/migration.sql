-- The abandonment sweep keeps open the attempts waiting on an emailed link still usable, and reads
-- those links every minute: by expiry, the live ones only (the tables keep every link ever sent).
CREATE INDEX "PasswordResetToken_expiresAt_idx" ON "PasswordResetToken"("expiresAt");
CREATE INDEX "EmailChangeRequest_expiresAt_idx" ON "EmailChangeRequest"("expiresAt");
