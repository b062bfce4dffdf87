import type { ReactNode } from "react";
import { requireStaff } from "@/lib/auth/principal";

// The role check sits in the layout, above any loading boundary, so the 404 is a real 404 status.
export default async function AgentLayout({ children }: { children: ReactNode }) {
  await requireStaff("AGENT");
  return children;
}
