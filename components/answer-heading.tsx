"use client";
// The heading of an answer a page is loaded to show below its form (a GET form's result, such as
// the problem report's "What we can do"). The page comes back at its top, so on a phone the answer
// was out of view and the tap seemed to do nothing: the view starts at the answer, and the keyboard
// and a screen reader with it. The form names the heading in its action (`action="#id"`), so the
// browser brings the view there as the page loads, not as it becomes interactive (./arrival.tsx).
import type { ReactNode } from "react";
import { useFocusOnArrival } from "./arrival";

export function AnswerHeading({ id, children }: { id: string; children: ReactNode }) {
  const heading = useFocusOnArrival<HTMLHeadingElement>();
  return (
    <h2 id={id} ref={heading} tabIndex={-1}>
      {children}
    </h2>
  );
}
