import type { Metadata } from "next";
import Link from "next/link";
import { requireStaff } from "@/lib/auth/principal";

export const metadata: Metadata = { title: "Agent desk" };

export default async function AgentHome() {
  const agent = await requireStaff("AGENT");
  return (
    <div className="stack">
      <h1>Agent desk</h1>
      <p className="muted">Signed in as {agent.name}.</p>
      <p>
        <Link href="/agent/contacts" className="button">Log an inbound contact</Link>
      </p>
    </div>
  );
}
