"use client";
import Link from "next/link";
import { useEffect } from "react";
import { ContactUs } from "@/components/contact-us";

// Never shows error.message: the digest is a reference that matches the server log.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error("page error", error.digest);
  }, [error]);
  return (
    <div className="narrow stack">
      <h1>Something went wrong</h1>
      <p className="muted">
        This page could not be shown. Nothing you did has been lost. Try again, or come back in a few minutes.
        {error.digest ? ` Reference: ${error.digest}.` : ""}
      </p>
      <p>
        <button type="button" className="button" onClick={reset}>Try again</button>
      </p>
      <p>
        <Link href="/">Go to your overview</Link>
      </p>
      <ContactUs title="Talk to us instead" />
    </div>
  );
}
