"use client";
// A link that starts a task from a page shared by several tasks (the order page): the task's
// journey begins when the customer chooses it, not whenever the shared page is shown.
import Link from "@/components/link";
import type { ReactNode } from "react";
import { trackStep } from "@/lib/trail/browser";
import type { JourneyType } from "@/lib/trail/journeys";

export function TaskLink({ journey, step, href, className = "button secondary", children }: { journey: JourneyType; step: string; href: string; className?: string; children: ReactNode }) {
  return (
    <Link href={href} className={className} onClick={() => trackStep(journey, step, "viewed")}>
      {children}
    </Link>
  );
}
