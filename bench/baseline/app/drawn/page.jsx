"use client";
import { useEffect, useState } from "react";
import { Rows } from "../rows";

// The control beside the LCP verdict: the same rows, drawn by the page's script once it has run
// (the HTML holds a placeholder). A page whose largest element waits for its scripts must measure
// slow through the benchmark's link too, or the link would hide what the LCP row is there to catch.
export default function DrawnPage() {
  const [drawn, setDrawn] = useState(false);
  useEffect(() => setDrawn(true), []);
  return drawn ? <Rows now="in the browser" /> : <p>Loading…</p>;
}
