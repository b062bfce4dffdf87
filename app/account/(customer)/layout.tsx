import type { ReactNode } from "react";
import { requireCustomer } from "@/lib/auth/principal";

// Signed-in customers only; checked above every loading boundary of the account pages, so a
// signed-out visitor is redirected before anything streams. (The pages after an account deletion
// and behind an emailed link live outside this group.)
export default async function AccountLayout({ children }: { children: ReactNode }) {
  await requireCustomer("/account");
  return children;
}
