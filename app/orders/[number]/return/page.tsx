import type { Metadata } from "next";
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { formatCalendarDate } from "@/lib/format/date";
import { describeRefusal } from "@/lib/returns/policy";
import { loadReturnContext } from "@/lib/returns/returns";
import { submitReturnAction } from "./actions";
import { ReturnWizard, type WizardLine } from "./return-wizard";

export const metadata: Metadata = { title: "Return items" };

// Ownership is already checked by the order's layout (a real 404 for anyone else's order).
export default async function ReturnPage({ params }: { params: Promise<{ number: string }> }) {
  const { number } = await params;
  const principal = await requireCustomer(`/orders/${number}/return`);
  const now = new Date();
  const context = await loadReturnContext(db(), principal.userId, number, now);
  if (!context) notFound();
  const lines: WizardLine[] = context.lines.map((line, i) => {
    const verdict = context.eligibility[i];
    return {
      ...line,
      returnable: verdict.returnable,
      refusal: verdict.refusal ? { code: verdict.refusal.code, text: describeRefusal(verdict.refusal) } : null,
      cancelInstead: verdict.refusal?.cancelInstead ?? false,
      lastDay: verdict.lastDay ? formatCalendarDate(verdict.lastDay) : null,
    };
  });

  return (
    <div className="stack">
      <p>
        <Link href={`/orders/${number}`}>← Order {number}</Link>
      </p>
      <h1>Return items from order <span className="ref">{number}</span></h1>
      <ReturnWizard
        action={submitReturnAction.bind(null, number)}
        orderNumber={number}
        rules={context.policy.rules}
        order={context.order}
        lines={lines}
        customer={context.customer}
        waivers={context.waivers}
        methods={context.methods}
        nowIso={now.toISOString()}
      />
    </div>
  );
}
