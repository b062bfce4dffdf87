// Reads of a customer's orders. Every query is scoped to the customer in its where clause, so a
// forged id or number finds nothing instead of someone else's order.
import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { creditBalancesJson } from "@/lib/credit/ledger";
import { policyOfRow, policyVersion } from "@/lib/returns/policy-store";
import { recentlyDeliveredSince } from "./status";

const IN_PROGRESS = ["PENDING_PAYMENT", "PROCESSING", "SHIPPED"] as const;
const OPEN_RETURN = ["REQUESTED", "HELD_FOR_REVIEW", "APPROVED", "IN_TRANSIT", "RECEIVED", "INSPECTED"] as const;

// Timestamps arrive as JSON strings from the one statement below.
const instant = z.string().transform((value) => new Date(value));
const overviewSchema = z.object({
  ordersInProgress: z.array(
    z.object({
      id: z.string(),
      number: z.string(),
      status: z.enum(IN_PROGRESS),
      placedAt: instant,
      promisedDeliveryAt: instant,
      balanceDueMinor: z.number(),
      currency: z.string(),
      lineCount: z.number(),
      /** The latest parcel's, if the order has shipped. */
      deliveredAt: instant.nullable(),
      expectedAt: instant.nullable(),
    }),
  ),
  returnsInProgress: z.array(
    z.object({
      id: z.string(),
      number: z.string(),
      status: z.enum(OPEN_RETURN),
      method: z.enum(["LABEL", "DROP_OFF", "PICKUP"]),
      carrierCode: z.string().nullable(),
      /** The day the carrier collects a pickup (a DATE, "2026-12-07"), as its booking answered. */
      pickupDate: z.iso.date().nullable().transform((day) => (day ? new Date(day) : null)),
      createdAt: instant,
      orderNumber: z.string(),
      refunds: z.array(z.object({ status: z.enum(["PENDING", "SUCCEEDED", "FAILED"]), createdAt: instant })),
      /** The policy the return was judged by (its row, joined in). */
      policyVersion: z.number(),
      policyRules: z.unknown(),
      policyCreatedAt: instant.nullable(),
    }),
  ),
  recentlyDelivered: z.array(z.object({ id: z.string(), number: z.string(), productNames: z.array(z.string()) })),
  credit: z.array(z.object({ currency: z.string(), balanceMinor: z.number() })),
});

/**
 * What the overview shows, in one statement (it was seven round trips with Prisma's includes, and
 * one more per return for its policy): orders on their way with their latest parcel, open returns
 * with their refunds and the policy they were judged by, up to three orders delivered recently, and the
 * customer's store credit balances.
 */
export async function customerOverview(db: Db, userId: string, now = new Date()) {
  const [row] = await db.$queryRaw<{ overview: unknown }[]>`
    SELECT json_build_object(
      'ordersInProgress', (SELECT coalesce(json_agg(x ORDER BY x."placedAt" DESC), '[]') FROM (
        SELECT o."id", o."number", o."status", o."placedAt", o."promisedDeliveryAt", o."balanceDueMinor", o."currency",
               (SELECT count(*) FROM "OrderLine" l WHERE l."orderId" = o."id") AS "lineCount", s."deliveredAt", s."expectedAt"
        FROM "Order" o
        LEFT JOIN LATERAL (SELECT s."deliveredAt", s."expectedAt" FROM "Shipment" s WHERE s."orderId" = o."id" ORDER BY s."shippedAt" DESC LIMIT 1) s ON true
        WHERE o."userId" = ${userId} AND o."status"::text IN (${Prisma.join([...IN_PROGRESS])})
        ORDER BY o."placedAt" DESC LIMIT 20) x),
      'returnsInProgress', (SELECT coalesce(json_agg(x ORDER BY x."createdAt" DESC), '[]') FROM (
        SELECT r."id", r."number", r."status", r."method", r."carrierCode", r."pickupDate", r."createdAt", o."number" AS "orderNumber",
               (SELECT coalesce(json_agg(json_build_object('status', f."status", 'createdAt', f."createdAt")), '[]') FROM "Refund" f WHERE f."returnId" = r."id") AS "refunds",
               r."policyVersion", p."rules" AS "policyRules", p."createdAt" AS "policyCreatedAt"
        FROM "Return" r
        JOIN "Order" o ON o."id" = r."orderId"
        LEFT JOIN "ReturnPolicyVersion" p ON p."version" = r."policyVersion"
        WHERE r."userId" = ${userId} AND r."status"::text IN (${Prisma.join([...OPEN_RETURN])})
        ORDER BY r."createdAt" DESC LIMIT 20) x),
      -- What the customer might buy again: their last few orders delivered recently (by their
      -- latest parcel's arrival), latest delivery first.
      'recentlyDelivered', (SELECT coalesce(json_agg(x ORDER BY x."deliveredAt" DESC, x."placedAt" DESC), '[]') FROM (
        SELECT o."id", o."number", o."placedAt", s."deliveredAt",
               (SELECT coalesce(json_agg(l."productName" ORDER BY l."id"), '[]') FROM "OrderLine" l WHERE l."orderId" = o."id") AS "productNames"
        FROM "Order" o
        JOIN LATERAL (SELECT s."deliveredAt" FROM "Shipment" s WHERE s."orderId" = o."id" ORDER BY s."shippedAt" DESC LIMIT 1) s ON true
        WHERE o."userId" = ${userId} AND o."status" = 'DELIVERED' AND s."deliveredAt" >= ${recentlyDeliveredSince(now)}
        ORDER BY s."deliveredAt" DESC, o."placedAt" DESC LIMIT 3) x),
      'credit', ${creditBalancesJson(userId)}
    ) AS "overview"`;
  const overview = overviewSchema.parse(row.overview);
  const returnsInProgress = await Promise.all(
    overview.returnsInProgress.map(async ({ policyVersion: version, policyRules: rules, policyCreatedAt, ...ret }) => ({
      ...ret,
      // A version's row is written on first use (lib/returns/policy-store.ts): read it that way when missing.
      policy: policyCreatedAt ? policyOfRow({ version, rules, createdAt: policyCreatedAt }) : await policyVersion(db, version),
    })),
  );
  return { ...overview, returnsInProgress };
}

export async function findCustomerOrder(db: Db, userId: string, number: string) {
  return db.order.findFirst({
    where: { number, userId },
    include: {
      lines: { orderBy: { id: "asc" } },
      history: { orderBy: { at: "asc" } },
      shipments: { include: { events: { orderBy: { at: "desc" } } }, orderBy: { shippedAt: "asc" } },
      returns: { select: { number: true, status: true, createdAt: true } },
      // Refunds on their way: the order says so from the moment it was cancelled, not once Stripe confirms.
      refunds: { where: { status: "PENDING" }, select: { amountMinor: true } },
    },
  });
}
