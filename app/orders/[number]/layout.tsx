import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";

// Ownership is checked here, before any of the page streams, so another customer's order
// number answers with a real 404 status.
export default async function OrderLayout({ children, params }: { children: ReactNode; params: Promise<{ number: string }> }) {
  const { number } = await params;
  const principal = await requireCustomer();
  if (!/^WM-\d{6}$/.test(number)) notFound();
  const owned = await db().order.findFirst({ where: { number, userId: principal.userId }, select: { id: true } });
  if (!owned) notFound();
  return children;
}
