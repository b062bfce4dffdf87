"use client";
// The last resort, when even the root layout (the header, the signed-in check) fails: it replaces
// the whole document, so it brings its own <html> and styles, and never shows error.message.
import Link from "next/link";
import "./globals.css";

export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <main id="main" className="narrow stack">
          <h1>Waymark is not available right now</h1>
          <p className="muted">
            Nothing you did has been lost. Try again in a minute; if it keeps happening, call us on +44 1234 567890.
            {error.digest ? ` Reference: ${error.digest}.` : ""}
          </p>
          <p>
            <button type="button" className="button" onClick={reset}>Try again</button>
          </p>
          <p>
            <Link href="/">Go to your overview</Link>
          </p>
        </main>
      </body>
    </html>
  );
}
