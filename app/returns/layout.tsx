import type { ReactNode } from "react";
import { requireCustomer } from "@/lib/auth/principal";

// Signed-in customers only; checked above every loading boundary of the returns area.
export default async function ReturnsLayout({ children }: { children: ReactNode }) {
  await requireCustomer("/returns");
  return children;
}
