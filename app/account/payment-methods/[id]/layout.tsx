import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { findSavedCard } from "@/lib/payments/payment-methods";

// Ownership is checked here, above the page's loading boundary, so another customer's card id
// answers with a real 404 status.
export default async function SavedCardLayout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requireCustomer();
  if (!(await findSavedCard(db(), principal.userId, id))) notFound();
  return children;
}
