"use client";
// Shown while the portal waits for something only Stripe can confirm (a webhook): re-renders the
// page every few seconds, and after a while says plainly that it is taking longer than usual.
import { useRouter } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";

export function RefreshWhilePending({ children, slowMessage, everyMs = 1500, slowAfterMs = 45_000 }: { children: ReactNode; slowMessage: ReactNode; everyMs?: number; slowAfterMs?: number }) {
  const router = useRouter();
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    const started = Date.now();
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const late = Date.now() - started > slowAfterMs;
      if (late) setSlow(true);
      router.refresh();
      // A tab left open keeps checking, ten times less often.
      timer = setTimeout(tick, late ? everyMs * 10 : everyMs);
    };
    timer = setTimeout(tick, everyMs);
    return () => clearTimeout(timer);
  }, [router, everyMs, slowAfterMs]);
  return (
    <div className="notice warn" role="status" aria-live="polite" aria-busy={!slow} data-testid="pending-notice">
      {slow ? slowMessage : children}
    </div>
  );
}
