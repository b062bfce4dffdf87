"use client";
import { lazy, Suspense, useEffect } from "react";
import { ErrorNotice } from "@/components/error-notice";

// The root error boundary's module is fetched and run with every page, error or not: the help
// entry (its form, trail and voice code) comes only when a page has actually failed, so it is not
// part of every page's first load on a phone. React's lazy, not next/dynamic: next/dynamic's loader
// split a module of its own out of the framework's chunks, one more request on every page.
const ContactUs = lazy(() => import("@/components/contact-us").then((module) => ({ default: module.ContactUs })));

// Never shows error.message: the digest is a reference that matches the server log.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error("page error", error.digest);
  }, [error]);
  return (
    <div className="narrow stack">
      <ErrorNotice title="Something went wrong" explanation="This page could not be shown. Nothing you did has been lost. Try again, or come back in a few minutes." digest={error.digest} reset={reset} />
      <Suspense fallback={null}>
        <ContactUs title="Talk to us instead" />
      </Suspense>
    </div>
  );
}
