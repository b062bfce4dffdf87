"use client";
// A notice carried in the address (?ended=2 after signing out of other devices) is news once: once
// shown, the address forgets it, so a reload or a bookmark does not announce it again.
import { useEffect } from "react";

export function ForgetNoticeInAddress({ params }: { params: string[] }) {
  const names = params.join(",");
  useEffect(() => {
    const url = new URL(window.location.href);
    for (const name of names.split(",")) url.searchParams.delete(name);
    window.history.replaceState(window.history.state, "", url);
  }, [names]);
  return null;
}
