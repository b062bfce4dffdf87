// One browser tab, just enough of it for lib/trail/browser.ts to run in Node: its sessionStorage,
// the device cookie, and a fetch that hands every batch the tab posts to the test, as /ingest
// would receive it. Install before importing the module, remove with vi.unstubAllGlobals().
import { vi } from "vitest";
import { decodePostHogBody } from "@/lib/trail/posthog-wire";
import type { PostHogEvent } from "@/lib/trail/posthog-wire";

export type FakeTab = { posted: PostHogEvent[][] };

export function installBrowserTab(url: string): FakeTab {
  const tab: FakeTab = { posted: [] };
  const storage = new Map<string, string>();
  vi.stubGlobal("sessionStorage", {
    getItem: (key: string) => storage.get(key) ?? null,
    setItem: (key: string, value: string) => void storage.set(key, value),
    removeItem: (key: string) => void storage.delete(key),
  });
  const screen = { width: 1280, height: 800 };
  vi.stubGlobal("window", { location: { href: url, protocol: "http:" }, screen, innerWidth: 1280, innerHeight: 720, addEventListener() {}, removeEventListener() {} });
  vi.stubGlobal("document", { cookie: "", referrer: "" });
  vi.stubGlobal("navigator", { userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36" });
  vi.stubGlobal("fetch", async (_input: string, init: { body: string }) => {
    tab.posted.push(decodePostHogBody(Buffer.from(init.body), { contentType: "application/json" }));
    return new Response("{}", { status: 200 });
  });
  return tab;
}
