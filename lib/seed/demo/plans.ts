// What the planners decide about customers, orders, shipments and returns before any row is
// built: the whole life of each order, cut at `now` when it becomes rows (rows.ts).
import type { ReturnMethod, ReturnResolution, ReturnStatus, ShipmentStatus } from "@/lib/generated/prisma/client";
import type { CatalogueVariant } from "./catalogue";
import type { CountryCode, Currency } from "./places";

type AddressSnapshot = {
  fullName: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postalCode: string;
  country: CountryCode;
};

export type SeedAddress = { id: string; snapshot: AddressSnapshot; phone: string | null; taxRate: number; createdAt: Date };

export type PlannedCustomer = {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  analyticsId: string;
  analyticsConsent: boolean;
  createdAt: Date;
  country: CountryCode;
  currency: Currency;
  addresses: SeedAddress[];
  orders: OrderPlan[];
};

export type PricedLine = { variant: CatalogueVariant; quantity: number; unitPriceMinor: number; taxMinor: number };

export type ShipmentEventPlan = { status: ShipmentStatus; description: string; location: string; at: Date };

export type ShipmentPlan = {
  carrier: "Parcelnet" | "SwiftPost";
  shippedAt: Date;
  expectedAt: Date;
  /** The whole journey, including what has not happened yet: materialising cuts it at `now`. */
  events: ShipmentEventPlan[];
};

export type ReturnReason = "wrong_size" | "damaged" | "not_as_described" | "changed_mind" | "wrong_item";
export type ReturnStep = { to: ReturnStatus; at: Date; actor: string; note?: string };

export type ReturnPlan = {
  requestedAt: Date;
  resolution: Extract<ReturnResolution, "REFUND" | "STORE_CREDIT">;
  method: ReturnMethod;
  lines: { lineIndex: number; quantity: number; reason: ReturnReason; note?: string }[];
  /** Everything after the customer's request, in order; cut at `now` like shipment events. */
  steps: ReturnStep[];
};

export type OrderPlan = {
  customer: PlannedCustomer;
  address: SeedAddress;
  placedAt: Date;
  promisedDeliveryAt: Date;
  lines: PricedLine[];
  chargedAt: Date;
  chargeFailure?: string;
  /** When a customer whose card was declined paid the balance instead. */
  balancePaidAt?: Date;
  cancellation?: { at: Date; actor: string };
  shipment?: ShipmentPlan;
  returns: ReturnPlan[];
};

/** What a planner decides about an order; buildOrderPlan adds the charge and the carrier's scans. */
export type OrderSpec = {
  customer: PlannedCustomer;
  address: SeedAddress;
  placedAt: Date;
  promisedDays: number;
  lines: PricedLine[];
  chargeFailure?: string;
  balancePaidAt?: Date;
  cancellation?: { at: Date; actor: string };
  shipping?: { shippedAt: Date; deliveredAt?: Date; delayed: boolean };
  returns?: ReturnPlan[];
};
