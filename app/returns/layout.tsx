import type { ReactNode } from "react";
import { requireCustomer } from "@/lib/auth/principal";

// Signed-in customers only; checked before any page of the returns area streams.
export default async function ReturnsLayout({ children }: { children: ReactNode }) {
  await requireCustomer();
  return children;
}
