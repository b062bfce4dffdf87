"use client";
// The portal's stylesheet, written into the <head> of every page so nothing waits on a request
// before the first paint. A client component on purpose: a server component's <style> (as Next.js's
// own inlining writes it) travels twice, as the element in the HTML and again as text in the page's
// RSC payload, about 12 kB more on every answer. Here the payload only names this component; the
// text comes once in the HTML and once in a script chunk the browser caches across pages. The root
// layout never unmounts, so client navigations keep this element as it is.
import stylesheet from "./globals.css?inline";

export function InlineStylesheet() {
  return <style dangerouslySetInnerHTML={{ __html: stylesheet }} />;
}
