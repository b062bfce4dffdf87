import type { ReactNode } from "react";
import { requireCustomer } from "@/lib/auth/principal";

// Signed-in customers only; checked above every loading boundary of the orders area.
export default async function OrdersLayout({ children }: { children: ReactNode }) {
  await requireCustomer();
  return children;
}
