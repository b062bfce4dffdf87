// Changing where an order goes, before it ships: to a saved address or a new one. The order keeps
// a snapshot, so the address book and the order never change each other behind the customer's back.
import "server-only";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { addressVersion, findAddress, snapshotMatches } from "@/lib/addresses/addresses";
import { addressOnOneLine } from "@/lib/addresses/format";
import { emitBusinessEvent } from "@/lib/integrations/business-events";
import type { AddressInput } from "@/lib/addresses/schema";
import { notify } from "@/lib/notify/notify";
import { addressFixedCode } from "@/lib/orders/status";
import { recordStep, type TrailActor } from "@/lib/trail/server";
import { recordedStep } from "@/lib/trail/store";
import { CANCELLABLE_STATUSES } from "./cancellation";

export type NewDeliveryAddress = { savedAddressId: string } | { address: AddressInput };

type Refusal = ReturnType<typeof addressFixedCode> | "address_not_found" | "address_unchanged" | "address_changed_meanwhile";

/** `replayed`: the attempt had already changed the address (a form sent again, or again after Back): nothing changed now. */
export type AddressChangeOutcome = { ok: true; replayed?: true } | { ok: false; code: "order_not_found" | Refusal };

export async function changeDeliveryAddress(
  db: Db,
  input: {
    userId: string;
    orderNumber: string;
    to: NewDeliveryAddress;
    journeyId: string;
    actor: TrailActor;
    /** The order's address as the form's page showed it (addressVersion), when the form says. */
    shownAddress?: string;
    now?: Date;
  },
): Promise<AddressChangeOutcome> {
  const now = input.now ?? new Date();
  return db.$transaction(async (tx) => {
    const order = await tx.order.findFirst({ where: { number: input.orderNumber, userId: input.userId }, select: { id: true } });
    if (!order) return { ok: false, code: "order_not_found" } as const;
    await tx.$executeRaw`SELECT 1 FROM "Order" WHERE "id" = ${order.id} FOR UPDATE`;
    // The attempt's form sent again (resent, or submitted again from the page Back showed) finds the
    // change it made and changes nothing: the stale form would otherwise move the order back.
    if (await recordedStep(tx, input.userId, input.journeyId, { journeyType: "delivery_address_change", step: "confirmation", kind: "COMPLETED" })) return { ok: true, replayed: true } as const;
    const locked = await tx.order.findUniqueOrThrow({ where: { id: order.id }, select: { status: true, shippingAddress: true } });
    const refuse = async (code: Refusal) => {
      await recordStep(tx, input.actor, { journeyId: input.journeyId, type: "delivery_address_change", step: "address", action: "failed", errorCode: code });
      return { ok: false, code } as const;
    };
    if (!(CANCELLABLE_STATUSES as readonly string[]).includes(locked.status)) return refuse(addressFixedCode(locked.status));
    // A form made before the address changed (the page Back showed, another tab) would undo the change.
    if (input.shownAddress !== undefined && input.shownAddress !== addressVersion(locked.shippingAddress)) return refuse("address_changed_meanwhile");

    let snapshot: Prisma.InputJsonValue & { fullName: string; line1: string; city: string; postalCode: string; country: string };
    if ("savedAddressId" in input.to) {
      const saved = await findAddress(tx, input.userId, input.to.savedAddressId);
      if (!saved) return refuse("address_not_found");
      snapshot = { fullName: saved.fullName, line1: saved.line1, line2: saved.line2, city: saved.city, region: saved.region, postalCode: saved.postalCode, country: saved.country };
    } else {
      const a = input.to.address;
      snapshot = { fullName: a.fullName, line1: a.line1, line2: a.line2, city: a.city, region: a.region, postalCode: a.postalCode, country: a.country };
    }
    // Nothing changes, so nothing is sent, stored or counted as done.
    if (snapshotMatches(locked.shippingAddress, snapshot)) return refuse("address_unchanged");
    await tx.order.update({ where: { id: order.id }, data: { shippingAddress: snapshot } });
    await tx.orderStatusChange.create({ data: { orderId: order.id, from: locked.status, to: locked.status, at: now, actor: "customer:delivery_address" } });
    await recordStep(tx, input.actor, { journeyId: input.journeyId, type: "delivery_address_change", step: "confirmation", action: "completed" });
    await emitBusinessEvent(tx, "order.address_changed", { orderNumber: input.orderNumber }, now);
    await notify(tx, {
      type: "delivery_address_changed",
      userId: input.userId,
      eventKey: `order:${order.id}:address:${input.journeyId}`,
      data: { orderNumber: input.orderNumber, addressLine: addressOnOneLine(snapshot, { name: false, country: false }) },
    });
    return { ok: true } as const;
  });
}
