import type { ReactNode } from "react";
// The stylesheet is imported here rather than in app/layout.tsx, and this template does nothing else.
// Next.js 16 with Turbopack gives the global error page (app/global-error.tsx) every stylesheet of
// the root layout and, with experimental.inlineCss, sends that copy inline in every page's payload
// in case the page fails: 10 kB more on every answer (vercel/next.js#98110). A stylesheet of the
// root template is not counted as the root layout's, so that copy is no longer sent; every page
// sits inside this template, so every page still gets the stylesheet.
import "./globals.css";

export default function RootTemplate({ children }: { children: ReactNode }) {
  return children;
}
