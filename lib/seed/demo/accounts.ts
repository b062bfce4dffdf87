// The fixed sign-ins: two showcase customers, an agent and an analyst; every seeded account uses DEMO_PASSWORD.
import type { Role } from "@/lib/generated/prisma/client";

export type DemoAccount = { email: string; name: string; role: Role };
export const ADA = { email: "ada@example.com", name: "Ada Lovelace", role: "CUSTOMER" } as const satisfies DemoAccount;
export const GRACE = { email: "grace@example.com", name: "Grace Hopper", role: "CUSTOMER" } as const satisfies DemoAccount;
export const AGENT = { email: "agent@waymark.test", name: "Alex Agent", role: "AGENT" } as const satisfies DemoAccount;
export const ANALYST = { email: "analyst@waymark.test", name: "Ana Analyst", role: "ANALYST" } as const satisfies DemoAccount;

/** The fixed sign-ins; all seeded accounts (random customers too) use DEMO_PASSWORD. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [ADA, GRACE, AGENT, ANALYST];

export const AGENT_USER_ID = "seed_usr_agent";
export const AGENT_ACTOR = `agent:${AGENT_USER_ID}`;
