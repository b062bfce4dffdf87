import type { ReactNode } from "react";
import { requireCustomer } from "@/lib/auth/principal";

// Signed-in customers only, checked here so that a signed-out visitor is redirected before
// anything of an account page streams. (The pages after an account deletion
// and behind an emailed link live outside this group.)
export default async function AccountLayout({ children }: { children: ReactNode }) {
  await requireCustomer();
  return children;
}
