// Saved cards. Card details never touch Waymark: the customer types them on Stripe's hosted page
// (Checkout in setup mode) and we keep a mirror of what Stripe tells us (brand, last four digits,
// expiry) so the list renders without calling Stripe. Every read is scoped to the customer.
import "server-only";
import type Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { recordStep, type TrailActor } from "@/lib/trail/server";
import { ensureStripeCustomer } from "./customers";
import { isRefusedStripeError, isTransientStripeError } from "./stripe";

type Tx = Prisma.TransactionClient;

export type SavedCard = { id: string; stripePaymentMethodId: string; brand: string; last4: string; expMonth: number; expYear: number; isDefault: boolean; createdAt: Date };

const CARD_SELECT = { id: true, stripePaymentMethodId: true, brand: true, last4: true, expMonth: true, expYear: true, isDefault: true, createdAt: true } as const;

/** Purpose tag on the Checkout Sessions we create, so the webhook knows what a completed one means. */
export const CARD_SETUP_PURPOSE = "payment_method";

const BRANDS: Record<string, string> = { visa: "Visa", mastercard: "Mastercard", amex: "American Express", discover: "Discover", diners: "Diners Club", jcb: "JCB", unionpay: "UnionPay", cartes_bancaires: "Cartes Bancaires" };

export function cardLabel(card: Pick<SavedCard, "brand" | "last4">): string {
  return `${BRANDS[card.brand] ?? "Card"} ending ${card.last4}`;
}

export function cardExpiry(card: Pick<SavedCard, "expMonth" | "expYear">): string {
  return `${String(card.expMonth).padStart(2, "0")}/${card.expYear}`;
}

export function isExpired(card: Pick<SavedCard, "expMonth" | "expYear">, now: Date): boolean {
  return card.expYear < now.getUTCFullYear() || (card.expYear === now.getUTCFullYear() && card.expMonth < now.getUTCMonth() + 1);
}

export async function listSavedCards(db: Db, userId: string): Promise<SavedCard[]> {
  return db.savedPaymentMethod.findMany({ where: { userId, removedAt: null }, orderBy: [{ isDefault: "desc" }, { createdAt: "desc" }], select: CARD_SELECT });
}

export async function findSavedCard(db: Db | Tx, userId: string, cardId: string): Promise<SavedCard | null> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cardId)) return null;
  return db.savedPaymentMethod.findFirst({ where: { id: cardId, userId, removedAt: null }, select: CARD_SELECT });
}

export async function defaultSavedCard(db: Db, userId: string): Promise<SavedCard | null> {
  return db.savedPaymentMethod.findFirst({ where: { userId, removedAt: null, isDefault: true }, select: CARD_SELECT });
}

/** Opens Stripe's hosted page for saving a card; returns where to send the customer. */
export async function startCardSetup(db: Db, stripe: Stripe, input: { userId: string; journeyId: string; returnUrlBase: string }): Promise<{ url: string }> {
  const customer = await ensureStripeCustomer(db, stripe, input.userId);
  const metadata = { waymark_purpose: CARD_SETUP_PURPOSE, waymark_journey_id: input.journeyId };
  const session = await stripe.checkout.sessions.create({
    mode: "setup",
    customer,
    allowed_payment_method_types: ["card"],
    client_reference_id: input.userId,
    success_url: `${input.returnUrlBase}/account/payment-methods/added/return?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${input.returnUrlBase}/account/payment-methods?cancelled=1`,
    metadata,
    setup_intent_data: { metadata },
  });
  if (!session.url) throw new Error(`Checkout Session ${session.id} has no URL`);
  return { url: session.url };
}

export type CardSetupState = { state: "saved"; card: SavedCard } | { state: "saving" } | { state: "not_completed" } | { state: "not_found" };

/** Where a card setup stands, seen from the page Stripe redirects back to. */
export async function cardSetupState(db: Db, stripe: Stripe, userId: string, sessionId: string): Promise<CardSetupState> {
  if (!/^cs_[A-Za-z0-9_]{1,200}$/.test(sessionId)) return { state: "not_found" };
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { stripeCustomerId: true } });
  let session: Stripe.Checkout.Session;
  try {
    session = await stripe.checkout.sessions.retrieve(sessionId, { expand: ["setup_intent"] });
  } catch (error) {
    if (isRefusedStripeError(error) && error.statusCode === 404) return { state: "not_found" };
    throw error;
  }
  // Another customer's session id answers exactly like one that does not exist.
  if (!user.stripeCustomerId || session.customer !== user.stripeCustomerId || session.mode !== "setup") return { state: "not_found" };
  const setupIntent = session.setup_intent;
  const paymentMethodId = typeof setupIntent === "object" && setupIntent ? (typeof setupIntent.payment_method === "string" ? setupIntent.payment_method : setupIntent.payment_method?.id) : null;
  if (session.status !== "complete" || !paymentMethodId) return { state: "not_completed" };
  const card = await db.savedPaymentMethod.findFirst({ where: { userId, stripePaymentMethodId: paymentMethodId }, select: CARD_SELECT });
  return card ? { state: "saved", card } : { state: "saving" };
}

export type MirroredCard = { stripePaymentMethodId: string; brand: string; last4: string; expMonth: number; expYear: number };

/**
 * Mirrors a card Stripe confirmed as saved. The first card becomes the default. Returns whether it
 * was new (a replayed or second event for the same card changes nothing).
 */
export async function mirrorSavedCard(tx: Tx, userId: string, card: MirroredCard): Promise<{ added: boolean; isDefault: boolean }> {
  // Serialises a customer's card changes, so two cards saved at once cannot both become the default.
  await tx.$executeRaw`SELECT 1 FROM "User" WHERE "id" = ${userId} FOR UPDATE`;
  const existing = await tx.savedPaymentMethod.findUnique({ where: { stripePaymentMethodId: card.stripePaymentMethodId }, select: { id: true } });
  if (existing) return { added: false, isDefault: false };
  const hasDefault = (await tx.savedPaymentMethod.count({ where: { userId, removedAt: null, isDefault: true } })) > 0;
  await tx.savedPaymentMethod.create({ data: { userId, ...card, isDefault: !hasDefault } });
  return { added: true, isDefault: !hasDefault };
}

export type CardChangeResult = { ok: true; noDefaultLeft?: boolean } | { ok: false; reason: "not_found" | "unavailable" };

/**
 * Removes a saved card: detached at Stripe first (so it can never be charged again), then hidden
 * here. Removing the default makes the most recent remaining card the default.
 */
export async function removeSavedCard(db: Db, stripe: Stripe, actor: TrailActor, input: { userId: string; cardId: string; journeyId: string }): Promise<CardChangeResult> {
  const card = await findSavedCard(db, input.userId, input.cardId);
  if (!card) return refuse(db, actor, input.journeyId, "not_found");
  try {
    await stripe.paymentMethods.detach(card.stripePaymentMethodId);
  } catch (error) {
    if (isTransientStripeError(error)) return refuse(db, actor, input.journeyId, "unavailable");
    // Already detached (an earlier attempt whose answer was lost): carry on and hide it here too.
    if (!(isRefusedStripeError(error) && (error.code === "payment_method_unexpected_state" || error.statusCode === 404))) throw error;
  }
  const successor = card.isDefault
    ? await db.savedPaymentMethod.findFirst({ where: { userId: input.userId, removedAt: null, id: { not: card.id } }, orderBy: { createdAt: "desc" }, select: CARD_SELECT })
    : null;
  let successorAtStripe = successor !== null;
  if (successor) {
    try {
      await setStripeDefault(db, stripe, input.userId, successor.stripePaymentMethodId);
    } catch (error) {
      if (!isTransientStripeError(error)) throw error;
      successorAtStripe = false;
    }
  }
  await db.$transaction(async (tx) => {
    await tx.savedPaymentMethod.update({ where: { id: card.id }, data: { removedAt: new Date(), isDefault: false } });
    if (successor && successorAtStripe) await tx.savedPaymentMethod.update({ where: { id: successor.id }, data: { isDefault: true } });
    await recordStep(tx, actor, { journeyId: input.journeyId, type: "payment_method_change", step: "changed", action: "completed", properties: { change: "removed" } });
  });
  return { ok: true, noDefaultLeft: successor !== null && !successorAtStripe };
}

/** Makes a saved card the default: at Stripe (the customer's invoice settings) and here. */
export async function makeDefaultCard(db: Db, stripe: Stripe, actor: TrailActor, input: { userId: string; cardId: string; journeyId: string }): Promise<CardChangeResult> {
  const card = await findSavedCard(db, input.userId, input.cardId);
  if (!card) return refuse(db, actor, input.journeyId, "not_found");
  try {
    await setStripeDefault(db, stripe, input.userId, card.stripePaymentMethodId);
  } catch (error) {
    if (isTransientStripeError(error)) return refuse(db, actor, input.journeyId, "unavailable");
    throw error;
  }
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM "User" WHERE "id" = ${input.userId} FOR UPDATE`;
    await tx.savedPaymentMethod.updateMany({ where: { userId: input.userId, isDefault: true, id: { not: card.id } }, data: { isDefault: false } });
    await tx.savedPaymentMethod.update({ where: { id: card.id }, data: { isDefault: true } });
    await recordStep(tx, actor, { journeyId: input.journeyId, type: "payment_method_change", step: "changed", action: "completed", properties: { change: "default" } });
  });
  return { ok: true };
}

/** Tells Stripe which card is the default (used for Stripe's own invoices and receipts). */
export async function setStripeDefault(db: Db, stripe: Stripe, userId: string, stripePaymentMethodId: string): Promise<void> {
  const customer = await ensureStripeCustomer(db, stripe, userId);
  await stripe.customers.update(customer, { invoice_settings: { default_payment_method: stripePaymentMethodId } });
}

async function refuse(db: Db, actor: TrailActor, journeyId: string, reason: "not_found" | "unavailable"): Promise<CardChangeResult> {
  await db.$transaction((tx) =>
    // Refused on the card's page, where the customer chose: they never reached the change.
    recordStep(tx, actor, { journeyId, type: "payment_method_change", step: "detail", action: "failed", errorCode: reason === "not_found" ? "card_not_found" : "stripe_unavailable" }),
  );
  return { ok: false, reason };
}
