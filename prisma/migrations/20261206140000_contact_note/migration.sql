-- What was said on a contact, as the agent wrote it down (optional).
ALTER TABLE "Contact" ADD COLUMN "note" TEXT;
