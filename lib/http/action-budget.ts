// Server actions that an attacker would repeat (sign-up, email change, contact forms) pay from
// their budgets (lib/auth/rate-limit.ts) before doing their work; a refused attempt is the form's answer.
import "server-only";
import { headers } from "next/headers";
import { spend, type Charge } from "@/lib/auth/rate-limit";
import { tooManyAttemptsMessage } from "@/lib/auth/too-many-attempts";
import { supportContact } from "@/lib/config/public";
import { db } from "@/lib/db/client";
import { clientAddress } from "./client-address";
import { formValues, type FormState } from "./form-state";

/** The other way a refused sign-up or contact form offers: the support line. */
export const callUs = () => `call us on ${supportContact().phone}`;

/** Null when the attempt is within every budget; otherwise the answer that says how long to wait. */
export async function refuseOverBudget(charges: (client: string) => Charge[], formData: FormData, otherWay?: string): Promise<FormState | null> {
  const budget = await spend(db(), charges(clientAddress(await headers())));
  if (budget.ok) return null;
  return { status: "error", message: tooManyAttemptsMessage(budget.retryAfterSeconds, otherWay), values: formValues(formData) };
}
