// The customer's address book. Every query carries the customer in its where clause, so another
// customer's address id finds nothing. Orders keep a snapshot of the address they were placed
// with: editing or deleting an address here never changes an order, and the customer is told
// which open orders keep the old address.
import "server-only";
import crypto from "node:crypto";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { AddressInput } from "./schema";

type Tx = Prisma.TransactionClient;

/** Orders whose delivery address can still be changed on the order itself. */
export const OPEN_ORDER_STATUSES = ["PENDING_PAYMENT", "PROCESSING"] as const;
/** Enough for home, work, family and a few gift addresses; keeps a runaway script from filling the table. */
export const MAX_ADDRESSES = 20;

export type OpenOrderRef = { number: string; status: (typeof OPEN_ORDER_STATUSES)[number] };

export type SaveResult =
  | { ok: true; addressId: string; openOrdersKeepingOldAddress: OpenOrderRef[] }
  | { ok: false; reason: "not_found" | "duplicate" | "too_many" };

/** `defaultsMoved`: the defaults the deleted address held that another address took over. */
export type DeleteResult = { ok: true; openOrdersKeepingOldAddress: OpenOrderRef[]; defaultsMoved: ("shipping" | "billing")[] } | { ok: false; reason: "not_found" };

const live = (userId: string) => ({ userId, deletedAt: null });

export async function listAddresses(db: Db, userId: string) {
  return db.address.findMany({ where: live(userId), orderBy: [{ isDefaultShipping: "desc" }, { createdAt: "asc" }] });
}

export async function findAddress(db: Db | Tx, userId: string, addressId: string) {
  return db.address.findFirst({ where: { id: addressId, ...live(userId) } });
}

type Comparable = { fullName: string; line1: string; line2?: string | null; city: string; region?: string | null; postalCode: string; country: string };

const snapshotSchema = z.object({
  fullName: z.string(),
  line1: z.string(),
  line2: z.string().nullish(),
  city: z.string(),
  region: z.string().nullish(),
  postalCode: z.string(),
  country: z.string(),
});

function fingerprint(a: Comparable): string {
  const norm = (v: string | null | undefined) => (v ?? "").normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim();
  return [norm(a.fullName), norm(a.line1), norm(a.line2), norm(a.city), norm(a.region), norm(a.postalCode).replace(/ /g, ""), norm(a.country)].join("\u0000");
}

/** Whether an order's address snapshot is this address (ignoring case and spacing). */
export function snapshotMatches(snapshot: unknown, address: Comparable): boolean {
  const parsed = snapshotSchema.safeParse(snapshot);
  return parsed.success && fingerprint(parsed.data) === fingerprint(address);
}

/**
 * A short name for an order's address as a page shows it, sent back with the page's form: a form
 * whose address is not the order's any more was made before a change (a page Back showed, another
 * tab) and must not undo it. "" for a snapshot that is no address.
 */
export function addressVersion(snapshot: unknown): string {
  const parsed = snapshotSchema.safeParse(snapshot);
  return parsed.success ? crypto.createHash("sha256").update(fingerprint(parsed.data)).digest("hex").slice(0, 16) : "";
}

/** Open orders of this customer that will be delivered to the address as it is now. */
export async function openOrdersUsingAddress(db: Db | Tx, userId: string, address: Comparable): Promise<OpenOrderRef[]> {
  const orders = await db.order.findMany({
    where: { userId, status: { in: [...OPEN_ORDER_STATUSES] } },
    select: { number: true, status: true, shippingAddress: true },
    orderBy: { placedAt: "desc" },
  });
  return orders.filter((o) => snapshotMatches(o.shippingAddress, address)).map((o) => ({ number: o.number, status: o.status as OpenOrderRef["status"] }));
}

function changesFrom(current: Comparable, input: AddressInput): boolean {
  return fingerprint(current) !== fingerprint(input);
}

async function applyDefaults(tx: Tx, userId: string, addressId: string, input: Pick<AddressInput, "isDefaultShipping" | "isDefaultBilling">) {
  if (input.isDefaultShipping) await tx.address.updateMany({ where: { userId, id: { not: addressId }, isDefaultShipping: true }, data: { isDefaultShipping: false } });
  if (input.isDefaultBilling) await tx.address.updateMany({ where: { userId, id: { not: addressId }, isDefaultBilling: true }, data: { isDefaultBilling: false } });
}

const fields = (input: AddressInput) => ({
  fullName: input.fullName,
  line1: input.line1,
  line2: input.line2,
  city: input.city,
  region: input.region,
  postalCode: input.postalCode,
  country: input.country,
  phone: input.phone,
});

/** Adds an address. The first one becomes the default for shipping and billing. */
export async function addAddress(tx: Tx, userId: string, input: AddressInput): Promise<SaveResult> {
  const existing = await tx.address.findMany({ where: live(userId) });
  // A replayed or double-submitted form must not create a second copy.
  if (existing.some((a) => !changesFrom(a, input))) return { ok: false, reason: "duplicate" };
  if (existing.length >= MAX_ADDRESSES) return { ok: false, reason: "too_many" };
  const first = existing.length === 0;
  const defaults = { isDefaultShipping: first || input.isDefaultShipping, isDefaultBilling: first || input.isDefaultBilling };
  const created = await tx.address.create({ data: { userId, ...fields(input), ...defaults } });
  await applyDefaults(tx, userId, created.id, defaults);
  return { ok: true, addressId: created.id, openOrdersKeepingOldAddress: [] };
}

/**
 * Changes an address. Default flags can only be switched on here (an address stops being the
 * default when another one becomes it), so there is never "no default" by accident.
 */
export async function updateAddress(tx: Tx, userId: string, addressId: string, input: AddressInput): Promise<SaveResult> {
  const current = await findAddress(tx, userId, addressId);
  if (!current) return { ok: false, reason: "not_found" };
  const others = await tx.address.findMany({ where: { ...live(userId), id: { not: addressId } } });
  if (others.some((a) => !changesFrom(a, input))) return { ok: false, reason: "duplicate" };
  const moved = changesFrom(current, input);
  const openOrders = moved ? await openOrdersUsingAddress(tx, userId, current) : [];
  const defaults = { isDefaultShipping: current.isDefaultShipping || input.isDefaultShipping, isDefaultBilling: current.isDefaultBilling || input.isDefaultBilling };
  await tx.address.update({ where: { id: current.id }, data: { ...fields(input), ...defaults } });
  await applyDefaults(tx, userId, current.id, defaults);
  return { ok: true, addressId: current.id, openOrdersKeepingOldAddress: openOrders };
}

/**
 * Removes an address from the book; orders placed with it keep their own copy. A default it held
 * passes to the oldest address left, so the account is never without a delivery or billing
 * address while it has one (the page says which took over).
 */
export async function deleteAddress(tx: Tx, userId: string, addressId: string): Promise<DeleteResult> {
  const current = await findAddress(tx, userId, addressId);
  if (!current) return { ok: false, reason: "not_found" };
  const openOrders = await openOrdersUsingAddress(tx, userId, current);
  await tx.address.update({ where: { id: current.id }, data: { deletedAt: new Date(), isDefaultShipping: false, isDefaultBilling: false } });
  const heir = await tx.address.findFirst({ where: live(userId), orderBy: { createdAt: "asc" } });
  const defaultsMoved = heir ? ([current.isDefaultShipping ? "shipping" : null, current.isDefaultBilling ? "billing" : null] as const).filter((use) => use !== null) : [];
  if (heir && defaultsMoved.length) {
    await tx.address.update({ where: { id: heir.id }, data: { ...(current.isDefaultShipping ? { isDefaultShipping: true } : {}), ...(current.isDefaultBilling ? { isDefaultBilling: true } : {}) } });
  }
  return { ok: true, openOrdersKeepingOldAddress: openOrders, defaultsMoved };
}

export async function makeDefault(tx: Tx, userId: string, addressId: string, use: "shipping" | "billing"): Promise<{ ok: boolean }> {
  const current = await findAddress(tx, userId, addressId);
  if (!current) return { ok: false };
  const defaults = { isDefaultShipping: use === "shipping", isDefaultBilling: use === "billing" };
  await tx.address.update({ where: { id: current.id }, data: use === "shipping" ? { isDefaultShipping: true } : { isDefaultBilling: true } });
  await applyDefaults(tx, userId, current.id, defaults);
  return { ok: true };
}
