"use client";
// A notice carried in the address (?ended=2 after signing out of other devices) is news once: once
// shown, the address forgets it, so a reload or a bookmark does not announce it again.
//
// Only the browser's address forgets it: the router keeps the address the page was opened at, so a
// page that refreshes itself (a return waiting for its label, a first visit saving the time zone)
// keeps its notice, and what goes with it, for the rest of the visit. The router writes that address
// back after each refresh, so it is forgotten again after every render, not only the first.
import { useEffect } from "react";

export function ForgetNoticeInAddress({ params }: { params: string[] }) {
  useEffect(() => {
    const url = new URL(window.location.href);
    for (const name of params) url.searchParams.delete(name);
    if (url.href === window.location.href) return;
    // The router's own history state: with it, Next.js leaves its address as it was (see above).
    window.history.replaceState(window.history.state, "", url);
  });
  return null;
}
