"use client";
// Refreshes the page every few seconds while something is on its way (the carrier's label, or its
// answer to calling a booking off), so the customer does not have to reload. Stops after a few
// minutes; the page says what to expect.
import { useRouter } from "next/navigation";
import { useEffect } from "react";

export function RefreshWhileWaiting({ everyMs = 5000, forMs = 5 * 60_000 }: { everyMs?: number; forMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - started > forMs) clearInterval(timer);
      else router.refresh();
    }, everyMs);
    return () => clearInterval(timer);
  }, [router, everyMs, forMs]);
  return null;
}
