import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { findAddress } from "@/lib/addresses/addresses";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";

// Ownership is checked here, before any of the page streams, so another customer's address id
// answers with a real 404 status.
export default async function AddressLayout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requireCustomer();
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id) || !(await findAddress(db(), principal.userId, id))) notFound();
  return children;
}
