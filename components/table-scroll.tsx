// A wide table's box: on a phone it scrolls sideways, and a keyboard reaches the columns beyond the
// screen only by focusing the box (WCAG 2.1.1; axe's scrollable-region-focusable, found scanning the
// analyst's reports and the live view on a phone). Named, so a screen reader says what it holds.
// Usable from server and client components alike.
import type { ReactNode } from "react";

export function TableScroll({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div className={className ? `table-scroll ${className}` : "table-scroll"} role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
