"use client";
// What a page is loaded (or reloaded) to show after something was done: the view, the keyboard and a
// screen reader start at it. Without it, focus falls to the page as the form that asked goes or
// reloads, the next Tab starts at the top, and nothing is read out.
import { useEffect, useRef, type ReactNode, type RefObject } from "react";

/**
 * Scrolls to and focuses the element once, as it appears. A page whose address names the element
 * (`#id`) is already there: the browser moved the view as the page loaded, before anything on it
 * could be tapped. Moved again here, as the page becomes interactive, the view slid under a finger
 * already on the page (a customer's first tap makes it interactive there and then), and the tap
 * landed on whatever came beneath: a tap on Refund chose nothing, and Confirm sent the first option.
 */
export function useFocusOnArrival<T extends HTMLElement>(): RefObject<T | null> {
  const element = useRef<T>(null);
  useEffect(() => {
    if (!element.current) return;
    if (location.hash !== `#${element.current.id}`) element.current.scrollIntoView({ block: "start" });
    element.current.focus({ preventScroll: true });
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
