"use client";
import Link from "@/components/link";

/** What a failed page says (app/error.tsx, app/global-error.tsx): never error.message, only the reference the server log has. */
export function ErrorNotice({ title, explanation, digest, reset }: { title: string; explanation: string; digest?: string; reset: () => void }) {
  return (
    <>
      <h1>{title}</h1>
      <p className="muted">
        {explanation}
        {digest ? ` Reference: ${digest}.` : ""}
      </p>
      <p>
        <button type="button" className="button" onClick={reset}>Try again</button>
      </p>
      <p>
        <Link href="/">Go to your overview</Link>
      </p>
    </>
  );
}
