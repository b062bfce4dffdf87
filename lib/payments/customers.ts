// Each customer gets a Stripe Customer the first time they need one (saving a card, paying a
// balance). The idempotency key is derived from our user id, so two first uses at once create one.
import "server-only";
import type Stripe from "stripe";
import type { Db } from "@/lib/db/client";

export async function ensureStripeCustomer(db: Db, stripe: Stripe, userId: string): Promise<string> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { stripeCustomerId: true } });
  if (user.stripeCustomerId) return user.stripeCustomerId;
  // Only the opaque user id goes to Stripe: the hosted pages ask for what the card network needs.
  const customer = await stripe.customers.create({ metadata: { waymark_user_id: userId } }, { idempotencyKey: `customer:${userId}` });
  await db.user.updateMany({ where: { id: userId, stripeCustomerId: null }, data: { stripeCustomerId: customer.id } });
  const saved = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { stripeCustomerId: true } });
  return saved.stripeCustomerId ?? customer.id;
}
