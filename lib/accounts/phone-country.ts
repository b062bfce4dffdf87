// The country a phone number typed without its country code is read in: where the customer's
// parcels go, from a saved address (the default delivery one first), else from the delivery
// address of their latest order (a customer who saved no address was refused a national number
// though every order of theirs named the country). Nothing beyond that is guessed, not the
// store's country nor the browser's language: a number read in the wrong country would be saved,
// silently, as somebody else's. With neither, the customer is asked for the country code.
import "server-only";
import { z } from "zod";
import type { Prisma } from "@/lib/generated/prisma/client";

const countryOfAddress = z.object({ country: z.string().regex(/^[A-Z]{2}$/) });

export async function phoneCountryOf(db: Prisma.TransactionClient, userId: string): Promise<string | null> {
  const saved = await db.address.findFirst({ where: { userId, deletedAt: null }, orderBy: [{ isDefaultShipping: "desc" }, { createdAt: "asc" }], select: { country: true } });
  if (saved) return saved.country;
  const latest = await db.order.findFirst({ where: { userId }, orderBy: { placedAt: "desc" }, select: { shippingAddress: true } });
  const parsed = countryOfAddress.safeParse(latest?.shippingAddress);
  return parsed.success ? parsed.data.country : null;
}
