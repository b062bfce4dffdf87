import type { Metadata } from "next";
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { ContactUs } from "@/components/contact-us";
import { JourneyStep } from "@/components/journey";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { CANCEL_PROBLEM_MESSAGE, cancelRefusal } from "@/lib/returns/returns";
import { cancelReturnAction } from "./actions";
import { CancelReturnForm } from "./cancel-form";

export const metadata: Metadata = { title: "Cancel a return" };

export default async function CancelReturnPage({ params }: { params: Promise<{ number: string }> }) {
  const { number } = await params;
  const principal = await requireCustomer(`/returns/${number}/cancel`);
  const ret = await db().return.findFirst({ where: { number, userId: principal.userId }, select: { number: true, status: true, _count: { select: { refunds: true } } } });
  if (!ret) notFound();
  const refusal = cancelRefusal(ret.status, ret._count.refunds);

  return (
    <div className="narrow stack">
      <h1>Cancel return <span className="ref">{ret.number}</span>?</h1>
      {refusal === null ? (
        <>
          <JourneyStep type="return_cancellation" step="detail" />
          <CancelReturnForm action={cancelReturnAction.bind(null, ret.number)} returnNumber={ret.number} />
        </>
      ) : (
        <>
          <JourneyStep type="return_cancellation" step="detail" action="failed" errorCode={refusal} />
          <p className="notice warn" role="status">
            {CANCEL_PROBLEM_MESSAGE[refusal]}
          </p>
          <p>
            <Link href={`/returns/${ret.number}`} className="button secondary">Back to the return</Link>
          </p>
        </>
      )}
      <ContactUs journey="return_cancellation" step="detail" about={{ returnNumber: ret.number }} />
    </div>
  );
}
