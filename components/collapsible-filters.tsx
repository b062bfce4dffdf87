"use client";
// Filters that fold into one button on a phone, so the results, not the form, fill the first
// screen; open from the start when a filter is in use. On wider screens the button is hidden and
// the filters always show (app/globals.css).
import { useId, useState, type ReactNode } from "react";

export function CollapsibleFilters({ label, active, children }: { label: string; active: boolean; children: ReactNode }) {
  const [open, setOpen] = useState(active);
  const id = useId();
  return (
    <div className="collapsible-filters" data-open={open}>
      <button type="button" className="button secondary filters-toggle" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        {label}
      </button>
      <div id={id} className="filters-body">
        {children}
      </div>
    </div>
  );
}
