"use client";
// The last resort, when even the root layout (the header, the signed-in check) fails: it replaces
// the whole document, so it brings its own <html> and a stylesheet of its own (see global-error.css).
import { ErrorNotice } from "@/components/error-notice";
import { supportContact } from "@/lib/config/public";
import "./global-error.css";

export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="global-error">
        <main id="main">
          <ErrorNotice
            title="Waymark is not available right now"
            explanation={`Nothing you did has been lost. Try again in a minute; if it keeps happening, call us on ${supportContact().phone}.`}
            digest={error.digest}
            reset={reset}
          />
        </main>
      </body>
    </html>
  );
}
