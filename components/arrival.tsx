"use client";
// What a page is loaded (or reloaded) to show after something was done: the view, the keyboard and a
// screen reader start at it. Without it, focus falls to the page as the form that asked goes or
// reloads, the next Tab starts at the top, and nothing is read out.
import { useEffect, useRef, type ReactNode, type RefObject } from "react";

/** Scrolls to and focuses the element once, as it appears. */
export function useFocusOnArrival<T extends HTMLElement>(): RefObject<T | null> {
  const element = useRef<T>(null);
  useEffect(() => {
    element.current?.scrollIntoView({ block: "start" });
    element.current?.focus({ preventScroll: true });
  }, []);
  return element;
}

/** The outcome of an action the page was reloaded after ("Case resolved. …"); key it by the action so each one arrives anew. */
export function OutcomeNotice({ children }: { children: ReactNode }) {
  const notice = useFocusOnArrival<HTMLDivElement>();
  return (
    <div ref={notice} className="notice ok" role="status" tabIndex={-1} data-testid="outcome-notice">
      {children}
    </div>
  );
}
