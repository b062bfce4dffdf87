"use client";
import { useEffect } from "react";
import { ContactUs } from "@/components/contact-us";
import { ErrorNotice } from "@/components/error-notice";

// Never shows error.message: the digest is a reference that matches the server log.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error("page error", error.digest);
  }, [error]);
  return (
    <div className="narrow stack">
      <ErrorNotice title="Something went wrong" explanation="This page could not be shown. Nothing you did has been lost. Try again, or come back in a few minutes." digest={error.digest} reset={reset} />
      <ContactUs title="Talk to us instead" />
    </div>
  );
}
