"use client";
import { useActionState, type ReactNode } from "react";
import { useFormStatus } from "react-dom";
import { FormMessage } from "@/components/form";
import { IDLE } from "@/lib/http/form-state";
import { replayAction } from "./actions";

/** One form around the list: each Replay button submits its own message id, so the outcome shows in one place. */
export function ReplayForm({ topics, children }: { topics: string[]; children: ReactNode }) {
  const [state, formAction] = useActionState(replayAction, IDLE);
  return (
    <form action={formAction} className="stack">
      <FormMessage state={state} />
      {topics.map((topic) => (
        <input key={topic} type="hidden" name="topic" value={topic} />
      ))}
      {children}
    </form>
  );
}

type ReplayButtonProps = { name: "messageId" | "scope"; value: string; label: string; accessibleName?: string; className?: string };

export function ReplayButton({ name, value, label, accessibleName, className = "button secondary" }: ReplayButtonProps) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" name={name} value={value} className={className} disabled={pending} aria-disabled={pending} aria-label={pending ? undefined : accessibleName}>
      {pending ? "Replaying…" : label}
    </button>
  );
}
